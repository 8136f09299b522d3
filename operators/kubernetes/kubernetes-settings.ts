import { KUBERNETES_OPERATOR_ENV, type TKubernetesOperatorSettings, ZKubernetesOperatorSettings } from "@/prisma-free-schema";

/** The Kubernetes operator's settings from its environment (the manifest's ConfigMap), or the first problem, naming the variable. */
export function readKubernetesSettings(env: Record<string, string | undefined>): { ok: true; settings: TKubernetesOperatorSettings } | { ok: false; problem: string } {
  const raw = Object.fromEntries(Object.entries(KUBERNETES_OPERATOR_ENV).map(([key, name]) => [key, env[name]?.trim() || undefined]));
  const parsed = ZKubernetesOperatorSettings.safeParse(raw);
  if (parsed.success) return { ok: true, settings: parsed.data };
  const issue = parsed.error.issues[0];
  const key = issue?.path[0] as keyof typeof KUBERNETES_OPERATOR_ENV | undefined;
  const name = key ? KUBERNETES_OPERATOR_ENV[key] : "settings";
  return { ok: false, problem: `${name}: ${issue?.code === "invalid_type" ? "is required" : (issue?.message ?? "is not valid")}` };
}
