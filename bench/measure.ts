/** One line of benchmark output, as `npm run bench` prints them. */
export interface Measurement {
  bench: string;
  metric: string;
  value: number;
  unit: "ms" | "ops/s" | "bytes" | "ratio";
}

export function emit(measurement: Measurement): void {
  const value = Math.round(measurement.value * 1000) / 1000;
  process.stdout.write(`${JSON.stringify({ ...measurement, value })}\n`);
}

export function percentile(sortedMs: readonly number[], p: number): number {
  if (sortedMs.length === 0) return Number.NaN;
  const index = Math.min(sortedMs.length - 1, Math.ceil((p / 100) * sortedMs.length) - 1);
  return sortedMs[Math.max(0, index)]!;
}

/** Runs `operation` `count` times one after another; returns the sorted latencies in ms. */
export async function timeEach(count: number, operation: (i: number) => Promise<unknown>): Promise<number[]> {
  const latencies: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const started = performance.now();
    await operation(i);
    latencies.push(performance.now() - started);
  }
  return latencies.sort((a, b) => a - b);
}

/** Runs `operation` `count` times with `concurrency` in flight; returns operations per second. */
export async function throughput(count: number, concurrency: number, operation: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await operation(next++);
    }),
  );
  return count / ((performance.now() - started) / 1000);
}

/** Emits `<metric>_p50` and `<metric>_p99` of sorted latencies (ms); returns the p50, for ratios. */
export function emitLatency(bench: string, metric: string, sortedMs: readonly number[]): number {
  const p50 = percentile(sortedMs, 50);
  emit({ bench, metric: `${metric}_p50`, value: p50, unit: "ms" });
  emit({ bench, metric: `${metric}_p99`, value: percentile(sortedMs, 99), unit: "ms" });
  return p50;
}

/** The platform harness as the platform runs deployed: the embedded store and hub on threads of their own, and no copy of every hub event kept (tests keep one to replay). */
export const AS_DEPLOYED = { embeddedThread: "own", captureHubEvents: false } as const;
