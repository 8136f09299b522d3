/**
 * EventSource cannot read why a stream was refused. When it gives up, this asks the same URL once
 * with fetch: a 429 (too many open streams for this person) comes back with the server's sentence
 * and its Retry-After, so the page can say so and wait that long; anything else is dropped at once
 * (an opened stream is cancelled, freeing its slot) and the caller retries as before.
 */
export async function streamRefusalOf(url: string): Promise<{ message: string; retryAfterMs: number } | undefined> {
  const probe = new AbortController();
  try {
    const response = await fetch(url, { signal: probe.signal, cache: "no-store" });
    if (response.status !== 429) return undefined;
    const body = (await response.json().catch(() => ({}))) as { message?: unknown };
    const seconds = Number(response.headers.get("retry-after"));
    return {
      message: typeof body.message === "string" ? body.message : "Too many run event streams are open at once.",
      retryAfterMs: Math.min(60, Math.max(1, Number.isFinite(seconds) ? seconds : 10)) * 1000,
    };
  } catch {
    return undefined;
  } finally {
    probe.abort();
  }
}
