import type { BundleSettings } from "./bundle-settings";

/** Test fixtures for the bundle renderers: a fake key, and sample settings per host kind. */
export const FAKE_KEY = "opk_FAKEfake0123456789abcdef";

const SAMPLE_HOSTS = {
  kubernetes: { id: "host_abcdefghijkmnpqrstuv", name: "prod-eks", workloadIdentity: true },
  docker: { id: "host_zyxwvutsrqpnmkjihgfe", name: "dev-laptop", workloadIdentity: false },
} as const;

export function sampleBundleSettings(
  kind: BundleSettings["host"]["kind"],
  overrides: { host?: Partial<BundleSettings["host"]> } & Partial<Omit<BundleSettings, "host">> = {},
): BundleSettings {
  const { host, ...rest } = overrides;
  return {
    host: { ...SAMPLE_HOSTS[kind], kind, workspaceId: "ws_abcdefghijkmnpqrstuv", ...host },
    platformUrl: "https://parrot.example.com",
    installKey: FAKE_KEY,
    keyFingerprint: "sha256:ab12cd34",
    operatorImage: "ghcr.io/discoparrot/operator:0.1.0",
    ...rest,
  };
}

/** Every key of a parsed document, at any depth: what "no ports anywhere" is checked against. */
export function keysDeep(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) keysDeep(item, out);
  else if (value && typeof value === "object") {
    for (const [key, child] of Object.entries(value)) {
      out.push(key);
      keysDeep(child, out);
    }
  }
  return out;
}
