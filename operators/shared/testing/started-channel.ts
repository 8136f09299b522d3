import type { TWarmPoolCount } from "@/prisma-free-schema";
import type { CommandHandlers } from "../answer-command";
import { type ChannelStatus, type ChannelTiming, OperatorChannel } from "../operator-channel";
import { createOperatorLog } from "../operator-log";
import { afterThisTest, type PlatformDouble } from "./platform-double";

/** Test-sized timing: what takes a minute in production takes a few seconds here. */
export const FAST_TIMING: Partial<ChannelTiming> = {
  requestTimeoutMs: 3_000,
  handlerTimeoutMs: 3_000,
  backoffInitialMs: 50,
  backoffMaxMs: 200,
  closeGraceMs: 1_000,
};

const WAIT_MS = 8_000;

/**
 * An OperatorChannel against the double, running, with every log line captured and every status
 * recorded; stopped after the test.
 */
export function startChannel(
  double: PlatformDouble,
  options: { handlers?: CommandHandlers; timing?: Partial<ChannelTiming>; operatorVersion?: string; warmPools?: () => TWarmPoolCount[] } = {},
) {
  const lines: string[] = [];
  const statuses: ChannelStatus[] = [];
  const channel = new OperatorChannel({
    settings: double.settings,
    operatorVersion: options.operatorVersion ?? "0.1.0-test",
    handlers: options.handlers ?? {},
    health: () => ({ tester: true }),
    warmPools: options.warmPools,
    log: createOperatorLog({ level: "debug", write: (line) => lines.push(line) }),
    timing: { ...FAST_TIMING, ...options.timing },
  });
  channel.on("status", (status) => statuses.push(status));
  const outcome = channel.run();
  afterThisTest(() => channel.stop());

  /** The next status in `state` (counting from `from`, an index into `statuses`). */
  function waitForStatus<S extends ChannelStatus["state"]>(state: S, from = 0): Promise<Extract<ChannelStatus, { state: S }>> {
    return new Promise((resolve, reject) => {
      const find = () => statuses.slice(from).find((status) => status.state === state) as Extract<ChannelStatus, { state: S }> | undefined;
      const found = find();
      if (found) return resolve(found);
      const onStatus = () => {
        const match = find();
        if (!match) return;
        clearTimeout(timer);
        channel.off("status", onStatus);
        resolve(match);
      };
      const timer = setTimeout(() => {
        channel.off("status", onStatus);
        reject(new Error(`timed out waiting for status ${state}; saw ${statuses.map((status) => status.state).join(", ")}`));
      }, WAIT_MS);
      channel.on("status", onStatus);
    });
  }

  return { channel, outcome, lines, statuses, waitForStatus };
}
