import type { THostStatus, TProfileSettings, TRegisterHostInput } from "@/prisma-free-schema";
import { DEFAULT_PROFILE_SETTINGS } from "@/prisma-free-schema";
import { hostStore } from "../store/host-store";
import type { Store } from "../store/store";
import type { callerAs } from "./test-store";

type Caller = ReturnType<typeof callerAs>;

export async function registerHost(caller: Caller, workspaceId: string, input: Partial<TRegisterHostInput> & { name: string }) {
  return caller.hosts.register({ workspaceId, kind: "kubernetes", runtimeFamilies: ["node"], workloadIdentity: false, ...input });
}

/**
 * Puts a host in the state its operator would report, for tests that need a status without
 * running an operator (the channel's own tests connect a real one).
 */
export async function setHostStatus(store: Store, workspaceId: string, hostId: string, status: THostStatus): Promise<void> {
  await hostStore(store).updatePresence(workspaceId, hostId, (presence) => ({ ...presence, status, lastSeenAt: status === "registered" ? new Date().toISOString() : presence.lastSeenAt }));
}

export function profileSettings(overrides: Partial<TProfileSettings> & { name: string }): TProfileSettings {
  return { ...DEFAULT_PROFILE_SETTINGS, ...overrides };
}
