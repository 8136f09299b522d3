import type { THostChoice, THostSummary } from "@/prisma-free-schema";
import type { AllHosts } from "./use-all-hosts";

/** Where a profile runs, in words: "Managed", a host's name, or "My default Docker host". */
export function runsOnLabel(choice: THostChoice, hosts: AllHosts | undefined): { label: string; host?: THostSummary } {
  if (choice.kind === "managed") return { label: "Managed" };
  if (choice.kind === "default-docker") return { label: "My default Docker host" };
  const host = hosts?.hosts.find((candidate) => candidate.id === choice.hostId);
  if (host) return { label: host.name, host };
  if (hosts?.complete) return { label: "A deleted host" };
  return { label: "A specific host" };
}
