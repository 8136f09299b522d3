import { GET as trpcGet, POST as trpcPost } from "@/app/api/trpc/[trpc]/route";
import { GET as runEventsGet } from "@/app/api/runs/[runId]/events/route";
import { type FetchServer, serveFetch } from "./fetch-server";

const RUN_EVENTS = /^\/api\/runs\/([^/]+)\/events$/;

/**
 * The app's own route handlers for the typed API (`/api/trpc`) and the run event stream, served
 * over loopback HTTP without Next.js, for tests that run a program against the platform as an
 * internal tool would. The handlers open the process's store, channel and providers, so the
 * test points those at its platform first (useStoreAsProcessStore, the sandbox deps).
 */
export function serveApiRoutes(port = 0): Promise<FetchServer> {
  return serveFetch(async (request) => {
    const path = new URL(request.url).pathname;
    const runId = RUN_EVENTS.exec(path)?.[1];
    if (path.startsWith("/api/trpc/")) return (request.method === "POST" ? trpcPost : trpcGet)(request);
    if (runId) return runEventsGet(request, { params: Promise.resolve({ runId: decodeURIComponent(runId) }) });
    return new Response("not found", { status: 404 });
  }, port);
}
