/**
 * Runs once when the server process starts (dev, `next start` and the standalone server alike):
 * validates the settings and opens the store before the first request, so a bad setting stops
 * the process at start with one line instead of failing at first use.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { bootPlatform } = await import("./server/boot");
  await bootPlatform();
}

/**
 * A page, layout or route that failed on the server: one log line with the request's id and the
 * digest the error page shows, so the id a person quotes finds it.
 */
export async function onRequestError(
  error: unknown,
  request: { path: string; method: string; headers: Record<string, string | string[] | undefined> },
  context: { routePath: string; routeType: string },
): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { log } = await import("./server/log");
  const { REQUEST_ID_HEADER, requestIdOf } = await import("./server/web/request-id");
  const given = request.headers[REQUEST_ID_HEADER];
  const headers = new Headers();
  if (typeof given === "string") headers.set(REQUEST_ID_HEADER, given);
  log.error("page.error", {
    // Checked again: a request proxy.ts skipped carries the client's own header.
    requestId: headers.has(REQUEST_ID_HEADER) ? requestIdOf(headers) : null,
    digest: (error as { digest?: unknown } | null)?.digest ?? null,
    method: request.method,
    route: context.routePath,
    routeType: context.routeType,
    error,
  });
}
