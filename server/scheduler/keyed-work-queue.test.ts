import { describe, expect, it } from "vitest";
import { KeyedWorkQueue, type PassOutcome } from "./keyed-work-queue";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A queue whose passes are recorded, each taking `passMs`, answering with `outcome(key, passNumber)`. */
function recordingQueue(options: { passMs?: number; workers?: number; outcome?: (key: string, pass: number) => PassOutcome | Promise<PassOutcome> } = {}) {
  const passes: Array<{ key: string; startedAt: number; endedAt: number }> = [];
  const inFlight = new Map<string, number>();
  let overlapped = false;
  const queue = new KeyedWorkQueue({
    name: "test",
    workers: options.workers ?? 4,
    firstBackoffMs: 50,
    maxBackoffMs: 400,
    reconcile: async (key) => {
      const count = (inFlight.get(key) ?? 0) + 1;
      inFlight.set(key, count);
      if (count > 1) overlapped = true;
      const startedAt = Date.now();
      await sleep(options.passMs ?? 20);
      inFlight.set(key, (inFlight.get(key) ?? 1) - 1);
      passes.push({ key, startedAt, endedAt: Date.now() });
      return (await options.outcome?.(key, passes.filter((pass) => pass.key === key).length)) ?? { done: true };
    },
  });
  return { queue, passes, overlapped: () => overlapped };
}

describe("the keyed work queue", () => {
  it("gives a key added many times while it waits one pass", async () => {
    const { queue, passes } = recordingQueue({ workers: 1 });
    const blocker = queue.add("a");
    const waits = [queue.add("b"), queue.add("b"), queue.add("b")];
    await Promise.all([blocker, ...waits]);
    expect(passes.map((pass) => pass.key)).toEqual(["a", "b"]);
  });

  it("never works on one key in two passes at once: added during its pass, it gets exactly one more pass after", async () => {
    const { queue, passes, overlapped } = recordingQueue({ passMs: 60 });
    const first = queue.add("k");
    await sleep(10);
    const again = [queue.add("k"), queue.add("k")];
    await Promise.all([first, ...again]);
    expect(overlapped()).toBe(false);
    expect(passes.map((pass) => pass.key)).toEqual(["k", "k"]);
    expect(passes[1]!.startedAt).toBeGreaterThanOrEqual(passes[0]!.endedAt);
  });

  it("works on different keys side by side, up to its workers", async () => {
    const { queue, passes } = recordingQueue({ passMs: 80, workers: 3 });
    await Promise.all(["a", "b", "c", "d"].map((key) => queue.add(key)));
    const [a, b, c, d] = ["a", "b", "c", "d"].map((key) => passes.find((pass) => pass.key === key)!);
    // a, b and c ran together; d waited for a worker.
    expect(Math.max(a!.startedAt, b!.startedAt, c!.startedAt)).toBeLessThan(Math.min(a!.endedAt, b!.endedAt, c!.endedAt));
    expect(d!.startedAt).toBeGreaterThanOrEqual(Math.min(a!.endedAt, b!.endedAt, c!.endedAt));
  });

  it("retries a failing key with a backoff that doubles, and settles its waiters only once a pass is done", async () => {
    const { queue, passes } = recordingQueue({
      passMs: 1,
      outcome: (_key, pass) => {
        if (pass < 4) throw new Error(`pass ${pass} failed`);
        return { done: true };
      },
    });
    await queue.add("flaky");
    expect(passes).toHaveLength(4);
    const gaps = passes.slice(1).map((pass, index) => pass.startedAt - passes[index]!.endedAt);
    // 50, 100, 200 ms (timers may fire a little late, never early).
    expect(gaps[0]).toBeGreaterThanOrEqual(45);
    expect(gaps[1]).toBeGreaterThanOrEqual(95);
    expect(gaps[2]).toBeGreaterThanOrEqual(195);
  });

  it("looks at a key again when a pass asks, after the delay it names", async () => {
    const { queue, passes } = recordingQueue({ passMs: 1, outcome: (_key, pass) => (pass === 1 ? { done: false, againInMs: 150 } : { done: true }) });
    await queue.add("later");
    expect(passes).toHaveLength(2);
    expect(passes[1]!.startedAt - passes[0]!.endedAt).toBeGreaterThanOrEqual(145);
  });

  it("shuts down: no more passes, the passes under way told to stop, every waiter released", async () => {
    let signalSeen: AbortSignal | undefined;
    const queue = new KeyedWorkQueue({
      name: "test",
      reconcile: async (_key, signal) => {
        signalSeen = signal;
        await new Promise((resolve) => signal.addEventListener("abort", resolve));
        return { done: true };
      },
    });
    const waiting = queue.add("stuck");
    const retried = queue.add("stuck");
    await sleep(20);
    await queue.shutdown(500);
    expect(signalSeen?.aborted).toBe(true);
    await Promise.all([waiting, retried]);
    // Added after the shutdown: resolves at once, no pass.
    await queue.add("late");
    expect(queue.depth).toBe(0);
  });
});
