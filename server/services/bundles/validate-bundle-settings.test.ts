import { describe, expect, it } from "vitest";
import { AppError } from "../../errors";
import type { BundleSettings } from "./bundle-settings";
import { renderComposeBundle } from "./render-compose-bundle";
import { renderKubernetesBundle } from "./render-kubernetes-bundle";
import { FAKE_KEY, sampleBundleSettings } from "./bundle-settings.fixture";

const KEY = FAKE_KEY;
const settings = (kind: "kubernetes" | "docker", changes: Partial<BundleSettings> = {}) =>
  sampleBundleSettings(kind, { host: { id: "host_abcdefghijkmnpqrstuv", name: "prod-eks", workloadIdentity: false }, ...changes });


const RENDERERS = [
  { kind: "kubernetes", other: "docker", render: renderKubernetesBundle },
  { kind: "docker", other: "kubernetes", render: renderComposeBundle },
] as const;

function errorOf(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error("expected the bundle to be refused");
}

describe.each(RENDERERS)("the $kind renderer refuses", ({ kind, other, render }) => {
  it(`a ${other} host`, () => {
    const error = errorOf(() => render(settings(other)));
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.message).toMatch(/only for .* hosts; "prod-eks" is a/);
  });

  it.each([
    ["no prefix", "abcdefghijklmnop"],
    ["a capitalised prefix", "OPK_abcdefghijklmnop"],
    ["another token's prefix", "dpt_tok_abcdefghijklmnop"],
    ["an empty key", ""],
    ["a key too short to be redacted", "opk_abc"],
    ["a key that would add a line to the env file", "opk_abcdefghij\nEVIL=1"],
    ["a key with a space", "opk_abcdefghij klm"],
  ])("an install key with %s, without printing it", (_what, installKey) => {
    const error = errorOf(() => render(settings(kind, { installKey })));
    expect(error.message).toMatch(/install key must be an opk_… key/);
    if (installKey.length > 4) expect(error.message).not.toContain(installKey.slice(4));
  });

  it.each([
    ["ftp://parrot.example.com", /not ftp:/],
    ["javascript:alert(1)", /not javascript:/],
    ["file:///etc/passwd", /not file:/],
    ["parrot.example.com", /does not parse/],
    ["", /does not parse/],
    ["https://admin:hunter2@parrot.example.com", /without credentials/],
    ["https://parrot.example.com/?next=/evil", /without credentials, a query/],
  ])("the platform URL %s", (platformUrl, message) => {
    const error = errorOf(() => render(settings(kind, { platformUrl })));
    expect(error.message).toMatch(/platform URL must be/);
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain("hunter2");
  });

  it.each([
    ["the key itself", KEY],
    ["an empty value", ""],
    ["a value with a newline", "sha256:ab12\nx"],
  ])("a fingerprint that is %s", (_what, keyFingerprint) => {
    const error = errorOf(() => render(settings(kind, { keyFingerprint })));
    expect(error.message).toMatch(/fingerprint/);
    expect(error.message).not.toContain(KEY);
  });

  it.each(["--privileged", "ghcr.io/x y", ""])("the operator image %j", (operatorImage) => {
    expect(errorOf(() => render(settings(kind, { operatorImage }))).message).toMatch(/operator image/);
  });

  it.each(["Prod-EKS", "prod eks", "x;rm -rf ~", "prod-"])("a host named %j (it would land in a shell command)", (name) => {
    const base = settings(kind);
    expect(errorOf(() => render({ ...base, host: { ...base.host, name } })).message).toMatch(/not a valid host name/);
  });
});

describe("accepted platform URLs", () => {
  it.each([
    ["https://parrot.example.com/", "https://parrot.example.com"],
    ["http://localhost:3000", "http://localhost:3000"],
    ["https://example.com/parrot/", "https://example.com/parrot"],
  ])("%s is written as %s", (platformUrl, written) => {
    const { content } = renderComposeBundle(settings("docker", { platformUrl }));
    expect(content).toContain(`DISCOPARROT_PLATFORM_URL: "${written}"`);
  });
});
