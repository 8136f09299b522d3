/**
 * Reads until `until` holds or `timeoutMs` passes, then returns the last value read, so the
 * test's own assertion on it says what was wrong: for state that changes by itself (presence, a
 * reconnect), where a fixed sleep would be either flaky or slow.
 */
export async function eventually<T>(read: () => Promise<T>, until: (value: T) => boolean, timeoutMs = 8000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (until(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
