import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { createRequestContext, requestIdOf } from "@/server/trpc/context";
import { appRouter } from "@/server/trpc/root";

function handler(req: Request) {
  const requestId = requestIdOf(req.headers);
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: () => createRequestContext(req, requestId),
    responseMeta: () => ({ headers: new Headers({ "x-request-id": requestId, "cache-control": "no-store" }) }),
  });
}

export { handler as GET, handler as POST };
