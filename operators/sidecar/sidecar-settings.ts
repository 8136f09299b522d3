import { statSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { SIDECAR_ENV, ZAgentKind, ZSandboxId } from "@/prisma-free-schema";

/**
 * The sidecar's settings from its environment, set by whoever starts the sandbox, validated at
 * start so a wrong setting fails in the first second with the variable's name. The access URL
 * file need not exist yet (the sidecar waits for it); the workspace must.
 */
const ZAbsolutePath = z.string().refine((value) => path.isAbsolute(value), { message: "must be an absolute path" });

export const ZSidecarSettings = z
  .object({
    sandboxId: ZSandboxId,
    accessUrlFile: ZAbsolutePath,
    workspaceDir: ZAbsolutePath,
    eventLog: ZAbsolutePath,
    agent: ZAgentKind.default("shell"),
    agentCommand: z.string().min(1).optional(),
  })
  .refine((settings) => settings.agent !== "command" || settings.agentCommand !== undefined, { message: "is required when DISCOPARROT_AGENT is command", path: ["agentCommand"] });
export type TSidecarSettings = z.infer<typeof ZSidecarSettings>;

const REQUIRED = ["sandboxId", "accessUrlFile", "workspaceDir", "eventLog"] as const;

export function readSidecarSettings(env: Record<string, string | undefined>): { ok: true; settings: TSidecarSettings } | { ok: false; problem: string } {
  const missing = REQUIRED.filter((field) => !env[SIDECAR_ENV[field]]?.trim()).map((field) => SIDECAR_ENV[field]);
  if (missing.length > 0) return { ok: false, problem: `${missing.join(", ")} ${missing.length === 1 ? "is" : "are"} not set` };

  const names = Object.entries(SIDECAR_ENV) as [keyof typeof SIDECAR_ENV, string][];
  const raw = Object.fromEntries(names.map(([field, name]) => [field, env[name]?.trim() || undefined]));
  const parsed = ZSidecarSettings.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, problem: `${SIDECAR_ENV[issue.path[0] as keyof typeof SIDECAR_ENV]}: ${issue.message}` };
  }
  const workspace = statSync(parsed.data.workspaceDir, { throwIfNoEntry: false });
  if (!workspace?.isDirectory()) return { ok: false, problem: `${SIDECAR_ENV.workspaceDir}: not a directory` };
  return { ok: true, settings: parsed.data };
}
