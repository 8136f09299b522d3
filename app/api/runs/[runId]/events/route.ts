import { serveRunEventStream } from "@/server/http/serve-run-event-stream";
import { getStore } from "@/server/store/store";

// A stream per request: never prerendered, never cached. Node runtime: the store client needs it.
export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** A run's events as server-sent events: see server/http/serve-run-event-stream.ts. */
export async function GET(request: Request, context: { params: Promise<{ runId: string }> }): Promise<Response> {
  return serveRunEventStream(request, (await context.params).runId, { store: await getStore() });
}
