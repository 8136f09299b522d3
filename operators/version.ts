import { ZOperatorVersion } from "@/prisma-free-schema";

/** This operator's version: sent at key exchange and in every check-in, shown on the host's page. */
export const OPERATOR_VERSION = "0.1.0";

/**
 * Overrides the version reported, for pre-release builds and for the test that shows a version
 * bump keeps working with the same install key (the key belongs to the host, not to a version).
 */
export const OPERATOR_VERSION_ENV = "DISCOPARROT_OPERATOR_VERSION";

export function operatorVersionFrom(env: Record<string, string | undefined>): { ok: true; version: string } | { ok: false; problem: string } {
  const override = env[OPERATOR_VERSION_ENV];
  if (override === undefined || override === "") return { ok: true, version: OPERATOR_VERSION };
  const parsed = ZOperatorVersion.safeParse(override);
  if (!parsed.success) return { ok: false, problem: `${OPERATOR_VERSION_ENV}: ${parsed.error.issues[0]?.message ?? "not a version"}` };
  return { ok: true, version: parsed.data };
}
