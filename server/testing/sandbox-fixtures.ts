import { newId, type TSandbox, type TSandboxDefinition } from "@/prisma-free-schema";

/** A managed shell sandbox's definition, with any field overridden. */
export function testSandboxDefinition(overrides: Partial<TSandboxDefinition> = {}): TSandboxDefinition {
  return {
    profileId: newId("prof"),
    template: "shell",
    provider: "managed",
    hostId: null,
    image: "discoparrot/sandbox",
    tag: "latest",
    resourceClass: "small",
    workloadIdentityClientId: null, workloadIdentityTenantId: null,
    persistentWorkspace: false,
    agent: "shell",
    ...overrides,
  };
}

/** A sandbox record as a launch leaves it (ready, just now), in `workspaceId`, with any field overridden. */
export function testSandbox(workspaceId: string, overrides: Partial<Omit<TSandbox, "definition">> & { definition?: Partial<TSandboxDefinition> } = {}): TSandbox {
  const now = new Date().toISOString();
  const { definition, ...rest } = overrides;
  return {
    id: newId("sbx"),
    type: "sandbox",
    workspaceId,
    ownerId: newId("usr"),
    definition: testSandboxDefinition(definition),
    status: "ready",
    failure: null,
    tokenExpiresAt: null,
    meteredUntil: null,
    meterPending: null,
    createdAt: now,
    readyAt: now,
    lastActiveAt: null,
    pausedAt: null,
    destroyedAt: null,
    ...rest,
  };
}
