import { log } from "@/server/log";
import { getStore } from "@/server/store/store";

export const dynamic = "force-dynamic";

/** Readiness: 200 only when the store answers, so a rollout sends traffic to a working revision. */
export async function GET(): Promise<Response> {
  const headers = { "cache-control": "no-store" };
  try {
    const store = await getStore();
    await store.ping(2000);
    return Response.json({ status: "ready", checks: { store: "ok" } }, { headers });
  } catch (error) {
    log.warn("health.not_ready", { error });
    return Response.json({ status: "not ready", checks: { store: "unavailable" } }, { status: 503, headers });
  }
}
