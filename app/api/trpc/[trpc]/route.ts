import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { getEnv } from "@/server/env";
import { createRequestContext, requestIdOf } from "@/server/trpc/context";
import { appRouter } from "@/server/trpc/root";
import { configuredBodyLimit, withBodyLimit } from "@/server/web/body-limit";

function handler(req: Request) {
  const requestId = requestIdOf(req.headers);
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    // A batch names one procedure per call; past the cap it is refused whole with 400 (TRPC_MAX_BATCH_SIZE).
    maxBatchSize: getEnv().limits.trpcMaxBatchSize,
    createContext: () => createRequestContext(req, requestId),
    responseMeta: ({ ctx }) => {
      const headers = new Headers({ "x-request-id": requestId, "cache-control": "no-store" });
      // A refusal decided inside a procedure that must reach HTTP (a stream cap: 429 + Retry-After).
      const override = ctx?.http;
      for (const [name, value] of Object.entries(override?.headers ?? {})) headers.set(name, value);
      return { headers, status: override?.status };
    },
  });
}

const capped = withBodyLimit(handler, configuredBodyLimit);
export { capped as GET, capped as POST };
