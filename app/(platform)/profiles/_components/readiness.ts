import type { TResolution, TResolverRefusal } from "@/prisma-free-schema";
import { HOST_KIND_LABELS } from "@/prisma-free-schema/vocabulary";

/** The resolver's refusal in a few words, for a list's column; the full reason goes beside it. */
const REFUSAL_LABELS: Record<TResolverRefusal, string> = {
  host_deleted: "Host deleted",
  host_not_registered: "Host not connected",
  host_not_ready: "Host not ready",
  not_entitled: "Not in this plan",
  runtime_families_missing: "Runtimes missing",
  no_default_docker_host: "No default Docker host",
  isolation_unavailable: "Isolation unavailable",
  compute_allowance_spent: "Allowance spent",
};

/** "Ready" or "Refused: …" in words, with where it lands or the resolver's full reason. */
export function readinessOf(resolution: TResolution): { ready: boolean; label: string; detail: string } {
  if (!resolution.ok) return { ready: false, label: REFUSAL_LABELS[resolution.reason], detail: resolution.message };
  if (!resolution.host) return { ready: true, label: "Ready", detail: "Lands on managed compute." };
  const via = resolution.viaDefaultDockerHost ? ", your default Docker host" : "";
  return { ready: true, label: "Ready", detail: `Lands on ${resolution.host.name} (${HOST_KIND_LABELS[resolution.host.kind]}${via}).` };
}
