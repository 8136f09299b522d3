import {
  OPERATOR_COMMANDS,
  type TSandboxSpec,
  ZSandboxCreate,
  ZSandboxCreateReply,
  ZSandboxDestroyReply,
  ZSandboxInspectReply,
  ZSandboxListReply,
  ZSandboxRef,
  ZSandboxRefreshAccess,
  ZSandboxSync,
  ZSandboxSyncReply,
} from "@/prisma-free-schema";
import { parseInput } from "../sidecar/handlers/parse-input";
import type { CommandHandlers } from "./answer-command";

/** What every host kind's operator does with its sandboxes (a Docker host's containers, a Kubernetes host's pods). */
export interface SandboxLifecycle {
  create(input: { sandboxId: string; spec: TSandboxSpec; accessUrl: string }): Promise<{ workloadId: string; fromWarmPool: boolean }>;
  destroy(sandboxId: string): Promise<{ removed: boolean; volumeRemoved: boolean }>;
  inspect(sandboxId: string): Promise<{ state: "running" | "stopped" | "missing"; problem: string | null }>;
  list(): Promise<string[]>;
  refreshAccess(sandboxId: string, accessUrl: string): Promise<void>;
  sync(keep: string[], graceSeconds: number): Promise<{ present: string[]; removed: string[] }>;
}

/**
 * The one operator protocol's lifecycle commands (create, destroy, inspect, list, refresh access,
 * sync), the same for every host kind: each payload checked against its schema (`invalid_input`),
 * each reply against its own, so no operator drifts from the contract. `beforeCreate` may refuse a
 * create first (a host that is not ready) by throwing a CommandError.
 */
export function sandboxLifecycleHandlers(sandboxes: SandboxLifecycle, options: { beforeCreate?: () => void } = {}): CommandHandlers {
  return {
    [OPERATOR_COMMANDS.create]: async (payload) => {
      const input = parseInput(ZSandboxCreate, payload, OPERATOR_COMMANDS.create);
      options.beforeCreate?.();
      return ZSandboxCreateReply.parse(await sandboxes.create(input));
    },
    [OPERATOR_COMMANDS.destroy]: async (payload) => {
      const { sandboxId } = parseInput(ZSandboxRef, payload, OPERATOR_COMMANDS.destroy);
      return ZSandboxDestroyReply.parse(await sandboxes.destroy(sandboxId));
    },
    [OPERATOR_COMMANDS.inspect]: async (payload) => {
      const { sandboxId } = parseInput(ZSandboxRef, payload, OPERATOR_COMMANDS.inspect);
      return ZSandboxInspectReply.parse(await sandboxes.inspect(sandboxId));
    },
    [OPERATOR_COMMANDS.list]: async () => ZSandboxListReply.parse({ sandboxIds: await sandboxes.list() }),
    [OPERATOR_COMMANDS.refreshAccess]: async (payload) => {
      const { sandboxId, accessUrl } = parseInput(ZSandboxRefreshAccess, payload, OPERATOR_COMMANDS.refreshAccess);
      await sandboxes.refreshAccess(sandboxId, accessUrl);
      return { refreshed: true };
    },
    [OPERATOR_COMMANDS.sync]: async (payload) => {
      const { keep, graceSeconds } = parseInput(ZSandboxSync, payload, OPERATOR_COMMANDS.sync);
      return ZSandboxSyncReply.parse(await sandboxes.sync(keep, graceSeconds));
    },
  };
}
