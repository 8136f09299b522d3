import { OPERATOR_ENV, type TOperatorSettings, ZOperatorSettings } from "@/prisma-free-schema";

/**
 * The operator's settings from an environment (the process's, or a bundle's), validated at start
 * so a wrong bundle fails in the first second with the name of what is wrong. The problem names
 * the variable and never its value; for the key, only its length.
 */
export function readOperatorSettings(env: Record<string, string | undefined>): { ok: true; settings: TOperatorSettings } | { ok: false; problem: string } {
  const names = Object.entries(OPERATOR_ENV) as [keyof typeof OPERATOR_ENV, string][];
  const missing = names.filter(([, name]) => !env[name]?.trim()).map(([, name]) => name);
  if (missing.length > 0) return { ok: false, problem: `${missing.join(", ")} ${missing.length === 1 ? "is" : "are"} not set` };

  const raw = Object.fromEntries(names.map(([field, name]) => [field, env[name]!.trim()]));
  const parsed = ZOperatorSettings.safeParse(raw);
  if (parsed.success) return { ok: true, settings: parsed.data };

  const issue = parsed.error.issues[0]!;
  const field = issue.path[0] as keyof typeof OPERATOR_ENV;
  const length = field === "installKey" ? ` (got ${raw.installKey!.length} characters)` : "";
  return { ok: false, problem: `${OPERATOR_ENV[field]}: ${issue.message}${length}` };
}
