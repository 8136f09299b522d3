import type { WebPubSubClient } from "@azure/web-pubsub-client";
import { CHANNEL_CAPABILITIES, CHANNEL_EVENTS, type TCheckIn, type THealthFacts, ZCheckIn } from "@/prisma-free-schema";
import type { OperatorLog } from "./operator-log";

/**
 * The check-in on one connection: right away, then every `intervalMs`. It is also the
 * connection's heartbeat (the SDK's own keep-alive is off; see operator-channel.ts): a check-in
 * the hub does not acknowledge within `timeoutMs` means the connection is dead, and `onDead`
 * drops it. A check-in the hub answers with an error (its event handler failed: the platform is
 * restarting) still proves the connection is alive.
 */
export interface CheckInOptions {
  client: WebPubSubClient;
  operatorVersion: string;
  health: () => THealthFacts | Promise<THealthFacts>;
  intervalMs: number;
  timeoutMs: number;
  log: OperatorLog;
  /** The first check-in the hub answered: the connection works end to end. */
  onHealthy(): void;
  onDead(reason: string): void;
}

export function startCheckIns(options: CheckInOptions): { stop(): void } {
  const { client, intervalMs, timeoutMs, log } = options;
  let inFlight = false;
  let healthy = false;
  let stopped = false;

  const checkIn = async () => {
    // One at a time: a check-in still waiting for its ack already covers this beat.
    if (inFlight || stopped) return;
    inFlight = true;
    try {
      await client.sendEvent(CHANNEL_EVENTS.checkIn, await currentCheckIn(options), "json", { abortSignal: AbortSignal.timeout(timeoutMs) });
      log.debug("checked in");
      if (!healthy) {
        healthy = true;
        options.onHealthy();
      }
    } catch (error) {
      if (stopped) return;
      const refusal = hubRefusal(error);
      if (refusal) {
        log.warn("the platform did not take the check-in; the connection is up", { refusal });
        return;
      }
      options.onDead(`check-in got no answer within ${timeoutMs} ms`);
    } finally {
      inFlight = false;
    }
  };

  void checkIn();
  const timer = setInterval(() => void checkIn(), intervalMs);
  return {
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}

/** What this client understands beyond the base protocol (the inbox takes command batches). */
const CAPABILITIES = [CHANNEL_CAPABILITIES.commandBatches];

/** Health facts that cannot be gathered or do not fit the schema must not stop the heartbeat. */
async function currentCheckIn({ operatorVersion, health, log }: CheckInOptions): Promise<TCheckIn> {
  try {
    return ZCheckIn.parse({ operatorVersion, health: await health(), capabilities: CAPABILITIES });
  } catch (error) {
    log.warn("health facts unavailable; checking in without them", { error });
    return { operatorVersion, health: {}, capabilities: CAPABILITIES };
  }
}

/** The hub's own refusal (an ack with an error) as `name: message`; undefined when nothing answered. */
export function hubRefusal(error: unknown): string | undefined {
  const detail = (error as { errorDetail?: { name?: string; message?: string } } | undefined)?.errorDetail;
  return detail ? `${detail.name ?? "Error"}: ${detail.message ?? ""}` : undefined;
}
