import type { THealthFacts } from "../channel-protocol";

/**
 * The two facts that say whether a host can launch at all, whatever its kind: `ready` (false
 * when something the operator needs is missing) and `notReady` (why, in words for the person).
 * A host whose last check-in said `ready: false` is shown as not ready, and launches on it are
 * refused with that reason before anything is made.
 */
export const READINESS_FACTS = { ready: "ready", notReady: "notReady" } as const;

/** The reason a host's facts say it cannot launch, or null when they do not say so. */
export function notReadyReason(facts: THealthFacts | null | undefined): string | null {
  if (!facts || facts[READINESS_FACTS.ready] !== false) return null;
  const reason = facts[READINESS_FACTS.notReady];
  return typeof reason === "string" && reason.length > 0 ? reason : "its operator reports it is not ready";
}
