import { TEMPLATES, type TProfile, type TResolution, type TSandboxDefinition } from "@/prisma-free-schema";

/** What a launch of `profile` where it resolved would make; compared field by field to decide reuse. */
export function sandboxDefinitionOf(profile: TProfile, placement: Extract<TResolution, { ok: true }>): TSandboxDefinition {
  const identityApplies = placement.provider === "kubernetes" && placement.host?.workloadIdentity === true;
  return {
    profileId: profile.id,
    template: profile.template,
    provider: placement.provider,
    hostId: placement.host?.id ?? null,
    image: profile.image,
    tag: profile.tag,
    resourceClass: profile.resourceClass,
    // Only where it applies: a Kubernetes host with Azure Workload Identity turned on.
    workloadIdentityClientId: identityApplies ? (profile.workloadIdentity?.clientId ?? null) : null,
    workloadIdentityTenantId: identityApplies ? (profile.workloadIdentity?.tenantId ?? null) : null,
    persistentWorkspace: profile.persistentWorkspace,
    agent: TEMPLATES[profile.template].agent,
  };
}

/** The fields whose change means a new sandbox, named, for the log and the person. */
export function definitionChanges(before: TSandboxDefinition, after: TSandboxDefinition): (keyof TSandboxDefinition)[] {
  return (Object.keys(after) as (keyof TSandboxDefinition)[]).filter((key) => before[key] !== after[key]);
}
