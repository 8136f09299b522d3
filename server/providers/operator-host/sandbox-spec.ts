import { createHash } from "node:crypto";
import { type TSandboxSpec, type TSandboxDefinition, ZSandboxSpec } from "@/prisma-free-schema";

/**
 * What a host's operator is asked to make, from a sandbox definition, with the part its kind
 * reads: a Docker host's workspace volume (for `ownerId`'s persistent workspace; none for a warm
 * container, which has no person yet), a Kubernetes host's workload identity. Launches and
 * warm-pool configuration both go through here, so a warm container made for a profile carries
 * the same definition key a launch of that profile asks for.
 */
export function sandboxSpecOf(definition: TSandboxDefinition, ownerId: string | null): TSandboxSpec {
  const { clientId, tenantId } = { clientId: definition.workloadIdentityClientId, tenantId: definition.workloadIdentityTenantId };
  return ZSandboxSpec.parse({
    definitionKey: definitionKeyOf(definition),
    image: definition.image,
    tag: definition.tag,
    resourceClass: definition.resourceClass,
    agent: definition.agent,
    ...(definition.provider === "docker" ? { docker: { workspaceVolume: ownerId ? workspaceVolumeOf(definition, ownerId) : null } } : {}),
    ...(definition.provider === "kubernetes" ? { kubernetes: { workloadIdentity: clientId && tenantId ? { clientId, tenantId } : null } } : {}),
  });
}

/** sha-256 of the definition's canonical JSON (keys sorted), first 32 hex characters: equal definitions, equal keys. */
export function definitionKeyOf(definition: TSandboxDefinition): string {
  return createHash("sha256").update(canonicalJson(definition)).digest("hex").slice(0, 32);
}

/**
 * The named volume a person's persistent workspace lives in for one profile, or null for a
 * scratch workspace. Derived, not stored: the next sandbox of the same person and profile finds
 * the same volume.
 */
export function workspaceVolumeOf(definition: TSandboxDefinition, ownerId: string): string | null {
  if (!definition.persistentWorkspace) return null;
  return `dp-ws-${createHash("sha256").update(`${ownerId}:${definition.profileId}`).digest("hex").slice(0, 20)}`;
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, child]) => child !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, child]) => `${JSON.stringify(key)}:${canonicalJson(child)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}
