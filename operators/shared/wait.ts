/**
 * Bounded waiting for the channel: every wait ends by itself (a deadline) or when the operator
 * stops (a signal), and leaves no timer or listener behind either way. That is what lets
 * `OperatorChannel.stop()` promise nothing is left running.
 */
export type Waited<T> = { kind: "settled"; value: T } | { kind: "failed"; error: unknown } | { kind: "timeout" } | { kind: "aborted" };

export async function within<T>(promise: Promise<T>, options: { ms?: number; signal?: AbortSignal }): Promise<Waited<T>> {
  const { ms, signal } = options;
  if (signal?.aborted) return { kind: "aborted" };
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const racers: Promise<Waited<T>>[] = [
    promise.then(
      (value) => ({ kind: "settled", value }) as const,
      (error: unknown) => ({ kind: "failed", error }) as const,
    ),
  ];
  if (ms !== undefined) racers.push(new Promise((resolve) => (timer = setTimeout(() => resolve({ kind: "timeout" }), ms))));
  if (signal) {
    racers.push(
      new Promise((resolve) => {
        onAbort = () => resolve({ kind: "aborted" });
        signal.addEventListener("abort", onAbort, { once: true });
      }),
    );
  }
  try {
    return await Promise.race(racers);
  } finally {
    clearTimeout(timer);
    if (signal && onAbort) signal.removeEventListener("abort", onAbort);
  }
}

/**
 * A controller that aborts when `parent` does, for work shorter-lived than the parent (one
 * command). `release()` unhooks it, so a parent that lives for days does not collect a listener
 * per command.
 */
export function childController(parent: AbortSignal): { signal: AbortSignal; release(): void } {
  const controller = new AbortController();
  if (parent.aborted) {
    controller.abort(parent.reason);
    return { signal: controller.signal, release: () => {} };
  }
  const onAbort = () => controller.abort(parent.reason);
  parent.addEventListener("abort", onAbort, { once: true });
  return { signal: controller.signal, release: () => parent.removeEventListener("abort", onAbort) };
}
