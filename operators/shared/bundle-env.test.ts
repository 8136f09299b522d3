import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { FAKE_KEY, sampleBundleSettings } from "@/server/services/bundles/bundle-settings.fixture";
import { renderComposeBundle } from "@/server/services/bundles/render-compose-bundle";
import { renderKubernetesBundle } from "@/server/services/bundles/render-kubernetes-bundle";
import { parseEnvFile, readBundleEnv } from "./bundle-env";
import { afterThisTest } from "./testing/platform-double";

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "operator-bundle-"));
  afterThisTest(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

describe("readBundleEnv", () => {
  it("reads a Compose bundle: its environment and the env file beside it, from any working directory", async () => {
    const dir = await tempDir();
    const bundle = renderComposeBundle(sampleBundleSettings("docker"));
    await writeFile(path.join(dir, bundle.filename), bundle.content);
    await writeFile(path.join(dir, bundle.envFile.filename), bundle.envFile.content);

    expect(await readBundleEnv(path.join(dir, bundle.filename))).toEqual({
      DISCOPARROT_INSTALL_KEY: FAKE_KEY,
      DISCOPARROT_PLATFORM_URL: "https://parrot.example.com",
      DISCOPARROT_HOST_ID: "host_zyxwvutsrqpnmkjihgfe",
      DISCOPARROT_HOST_NAME: "dev-laptop",
      DISCOPARROT_WORKSPACE_ID: "ws_abcdefghijkmnpqrstuv",
      DISCOPARROT_SANDBOX_NETWORK: "bridge",
    });
  });

  it("reads a Kubernetes bundle: the ConfigMap's data and the Secret's stringData", async () => {
    const dir = await tempDir();
    const bundle = renderKubernetesBundle(sampleBundleSettings("kubernetes"));
    await writeFile(path.join(dir, bundle.filename), bundle.content);

    expect(await readBundleEnv(path.join(dir, bundle.filename))).toMatchObject({
      DISCOPARROT_INSTALL_KEY: FAKE_KEY,
      DISCOPARROT_PLATFORM_URL: "https://parrot.example.com",
      DISCOPARROT_HOST_ID: "host_abcdefghijkmnpqrstuv",
      DISCOPARROT_HOST_NAME: "prod-eks",
      DISCOPARROT_WORKSPACE_ID: "ws_abcdefghijkmnpqrstuv",
    });
  });

  it("decodes a Secret's base64 data, as kubectl get -o yaml shows it", async () => {
    const dir = await tempDir();
    const file = path.join(dir, "exported.yaml");
    await writeFile(file, stringify({ apiVersion: "v1", kind: "Secret", data: { DISCOPARROT_INSTALL_KEY: Buffer.from(FAKE_KEY).toString("base64") } }));
    expect(await readBundleEnv(file)).toEqual({ DISCOPARROT_INSTALL_KEY: FAKE_KEY });
  });

  it("says which file is missing, and never quotes a line of a broken one", async () => {
    const dir = await tempDir();
    const compose = path.join(dir, "op.compose.yaml");
    await writeFile(compose, stringify({ services: { operator: { env_file: ["op.env"], environment: {} } } }));
    await expect(readBundleEnv(compose)).rejects.toThrow(`cannot read the env file named by op.compose.yaml ${path.join(dir, "op.env")} (ENOENT)`);

    const broken = path.join(dir, "broken.yaml");
    await writeFile(broken, `kind: Secret\nstringData: {DISCOPARROT_INSTALL_KEY: "${FAKE_KEY}"\n`);
    const error = await readBundleEnv(broken).catch((caught: Error) => caught);
    expect(String(error)).toMatch(/broken\.yaml is not valid YAML/);
    expect(String(error)).not.toContain(FAKE_KEY);
  });

  it("refuses a YAML file that is not an operator bundle", async () => {
    const dir = await tempDir();
    const file = path.join(dir, "other.yaml");
    await writeFile(file, stringify({ services: { web: { image: "nginx" } } }));
    await expect(readBundleEnv(file)).rejects.toThrow("is not an operator bundle");
  });
});

describe("parseEnvFile", () => {
  it("reads KEY=value lines, skipping comments and blanks, unquoting values", () => {
    expect(parseEnvFile(['# a comment', "", "A=1", "  B = two words ", 'C="quoted # not a comment"', "D='x=y'", "BARE", "E="].join("\r\n"))).toEqual({
      A: "1",
      B: "two words",
      C: "quoted # not a comment",
      D: "x=y",
      E: "",
    });
  });
});
