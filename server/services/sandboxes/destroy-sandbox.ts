import type { TSandbox } from "@/prisma-free-schema";
import { log } from "../../log";
import { providerFor } from "../../providers/sandbox-providers";
import { profileStore } from "../../store/profile-store";
import { sandboxStore } from "../../store/sandbox-store";
import { meterSandbox } from "../usage/meter-sandbox";
import type { SandboxDeps } from "./sandbox-deps";

/** Stops a sandbox and everything in it, meters its last seconds, and marks it destroyed. */
export async function destroySandbox(deps: SandboxDeps, sandbox: TSandbox, reason: string): Promise<void> {
  const now = new Date();
  const profile = await profileStore(deps.store).get(sandbox.workspaceId, sandbox.definition.profileId);
  await meterSandbox(deps.store, sandbox, profile?.name ?? "(deleted profile)", now);
  await providerFor(deps.providers, sandbox.definition.provider).destroy(sandbox);
  await sandboxStore(deps.store).update(sandbox.workspaceId, sandbox.id, (current) =>
    current.status === "destroyed" ? undefined : { ...current, status: "destroyed", destroyedAt: now.toISOString() },
  );
  log.info("sandbox.destroyed", { workspaceId: sandbox.workspaceId, sandboxId: sandbox.id, reason });
}
