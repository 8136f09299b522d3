import { describe, expect, it } from "vitest";
import { bundleAddressOf, bundleAddressNeedsWarning, isLoopbackUrl } from "@/prisma-free-schema";
import { sampleBundleSettings } from "./bundle-settings.fixture";
import { renderOperatorBundle } from "./render-operator-bundle";

const docker = sampleBundleSettings("docker");
const kubernetes = sampleBundleSettings("kubernetes");

describe("what a bundle's comments say about the install key", () => {
  it.each([
    ["the Compose file", docker, 0],
    ["the env file beside it", docker, 1],
    ["the Kubernetes manifest", kubernetes, 0],
  ])("%s says the key is exchanged for hour-long tokens again and again, and retired by the next download", (_file, settings, index) => {
    const file = renderOperatorBundle(settings).files[index]!;
    const comments = file.content.split("\n").filter((line) => line.startsWith("#")).join(" ").replace(/\s*#\s*/g, " ");
    expect(comments).toContain("exchanges the install key with the platform for a short-lived channel token, which lasts about an hour");
    expect(comments).toContain("exchanges it again before each token runs out");
    expect(comments).toContain("Downloading a new bundle for this host retires this key at once");
    expect(comments).not.toMatch(/single-use/i);
  });

  it("warns, in the Compose file and the manifest, when the bundle names a loopback address, and says to set PUBLIC_URL", () => {
    for (const base of [docker, kubernetes]) {
      const loopback = renderOperatorBundle({ ...base, platformUrl: "http://127.0.0.1:3000" }).files[0]!.content;
      expect(loopback).toContain("this bundle tells the operator to dial http://127.0.0.1:3000, a loopback address");
      expect(loopback).toContain("set PUBLIC_URL");
      const publicAddress = renderOperatorBundle({ ...base, platformUrl: "https://parrot.example.com" }).files[0]!.content;
      expect(publicAddress).not.toContain("loopback");
    }
  });

  it("says where the bundle points, so the page can warn after the download too", () => {
    expect(renderOperatorBundle({ ...docker, platformUrl: "http://localhost:3000" }).platformUrl).toBe("http://localhost:3000");
  });
});

describe("loopback detection", () => {
  it.each([
    "http://127.0.0.1:3000",
    "http://127.1.2.3",
    "http://localhost:3000",
    "http://LOCALHOST",
    "http://app.localhost:8080",
    "http://[::1]:3000",
    "http://[::ffff:127.0.0.1]:3000",
    "http://0.0.0.0:3000",
  ])("%s is loopback", (url) => expect(isLoopbackUrl(url)).toBe(true));

  it.each(["https://parrot.example.com", "http://10.0.0.5:3000", "http://192.168.1.20", "http://[2001:db8::1]", "http://localhost.example.com", "not a url", "", null])(
    "%s is not",
    (url) => expect(isLoopbackUrl(url)).toBe(false),
  );

  it("warns when PUBLIC_URL is unset or loopback, and not when it is a public address", () => {
    expect(bundleAddressNeedsWarning(bundleAddressOf(undefined, "http://127.0.0.1:3204"))).toBe(true);
    expect(bundleAddressOf(undefined, "http://127.0.0.1:3204")).toEqual({ platformUrl: "http://127.0.0.1:3204", publicUrlSet: false, loopback: true });
    expect(bundleAddressNeedsWarning(bundleAddressOf(undefined, "https://parrot.example.com"))).toBe(true);
    expect(bundleAddressNeedsWarning(bundleAddressOf("http://localhost:3000", "https://parrot.example.com"))).toBe(true);
    expect(bundleAddressNeedsWarning(bundleAddressOf("https://parrot.example.com", "http://127.0.0.1:3000"))).toBe(false);
    expect(bundleAddressOf(undefined, undefined)).toEqual({ platformUrl: null, publicUrlSet: false, loopback: false });
  });
});
