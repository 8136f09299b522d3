import type { THost } from "@/prisma-free-schema";

/**
 * Everything an operator bundle is rendered from. The renderers are pure: the caller mints the
 * install key, records its hash and fingerprint, and audits the download (`host.operator_bundle`).
 */
export interface BundleSettings {
  /** `docker`: the Local Docker settings (absent: the defaults); only the Compose bundle reads them. */
  host: Pick<THost, "id" | "name" | "kind" | "workspaceId" | "workloadIdentity" | "docker">;
  /** Where the operator exchanges its install key, e.g. https://parrot.example.com. */
  platformUrl: string;
  /** `opk_…`, in force until the next download retires it. Goes only into the Kubernetes Secret or the Compose env file. */
  installKey: string;
  /** Short and not secret, e.g. `sha256:ab12cd34`: lets a person match a bundle to an audit row. */
  keyFingerprint: string;
  /** e.g. `ghcr.io/discoparrot/operator:0.1.0`. */
  operatorImage: string;
}
