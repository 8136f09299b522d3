import { DOCKER_OPERATOR_ENV, ZDockerHostSettings } from "@/prisma-free-schema";

/** The network sandboxes join: `bridge` unless DISCOPARROT_SANDBOX_NETWORK names another (`host`, a user-defined network). */
export const SANDBOX_NETWORK_ENV = DOCKER_OPERATOR_ENV.sandboxNetwork;

export function readSandboxNetwork(env: Record<string, string | undefined>): { ok: true; network: string } | { ok: false; problem: string } {
  const raw = env[SANDBOX_NETWORK_ENV]?.trim() || "bridge";
  const parsed = ZDockerHostSettings.shape.network.safeParse(raw);
  if (!parsed.success) return { ok: false, problem: `${SANDBOX_NETWORK_ENV}: ${parsed.error.issues[0]?.message ?? "not a network name"}` };
  return { ok: true, network: parsed.data };
}
