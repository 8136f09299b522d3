import { getChannel } from "@/server/channel/channel";
import { isDraining } from "@/server/graceful-stop";
import { log } from "@/server/log";
import { getStore } from "@/server/store/store";

export const dynamic = "force-dynamic";

const CHECK_TIMEOUT_MS = 2000;

/**
 * Readiness: 200 only when the store and the messaging channel both answer, so a rollout sends
 * traffic only to a revision that can both save and reach operators.
 */
export async function GET(): Promise<Response> {
  const headers = { "cache-control": "no-store" };
  // Stopping (SIGTERM): not ready, whatever the store and channel say, so traffic moves on.
  if (isDraining()) return Response.json({ status: "stopping", checks: {} }, { status: 503, headers });
  const [store, channel] = await Promise.all([
    check("store", async () => (await getStore()).ping(CHECK_TIMEOUT_MS)),
    check("channel", async () => (await getChannel()).platform.ping(CHECK_TIMEOUT_MS)),
  ]);
  const checks = { store, channel };
  const ready = store === "ok" && channel === "ok";
  return Response.json({ status: ready ? "ready" : "not ready", checks }, { status: ready ? 200 : 503, headers });
}

async function check(name: string, run: () => Promise<void>): Promise<"ok" | "unavailable"> {
  try {
    await run();
    return "ok";
  } catch (error) {
    log.warn("health.not_ready", { check: name, error });
    return "unavailable";
  }
}
