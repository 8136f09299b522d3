import { type DataTag, dehydrate, HydrationBoundary, QueryClient, type QueryKey } from "@tanstack/react-query";
import { createTRPCOptionsProxy } from "@trpc/tanstack-react-query";
import { headers } from "next/headers";
import { cache, type ReactNode } from "react";
import { createRequestContext, requestIdOf } from "@/server/trpc/context";
import { appRouter } from "@/server/trpc/root";
import { REQUEST_PATH_HEADER } from "@/server/web/request-id";

/**
 * Server-side prefetch, so a page's data is in its first HTML instead of arriving after the
 * browser has loaded the JS and asked for it. A page server component awaits `prefetch(...)` with
 * the very options its client components pass to useQuery (`trpcServer.X.queryOptions(input)`
 * builds the same query key as the browser's `trpc.X.queryOptions(input)`), then wraps its client
 * tree in <HydrateClient>: the browser's cache starts with that data (fresh for the provider's
 * 10 s staleTime), so nothing is asked again on mount. Server components only.
 */

/** One per request (React's cache() is scoped to a server render), shared by the page and HydrateClient. */
const getQueryClient = cache(() => new QueryClient({ defaultOptions: { queries: { staleTime: 10_000, retry: false } } }));

/**
 * The tRPC context of this page's request, made by the same function as /api/trpc's (a cookie
 * GET: the session's actor), so every procedure checks membership and scopes exactly as over HTTP.
 */
const pageContext = cache(async () => {
  const requestHeaders = new Headers(await headers());
  const url = new URL(requestHeaders.get(REQUEST_PATH_HEADER) ?? "/", "http://localhost");
  return createRequestContext(new Request(url, { method: "GET", headers: requestHeaders }), requestIdOf(requestHeaders));
});

export const trpcServer = createTRPCOptionsProxy({ router: appRouter, ctx: pageContext, queryClient: getQueryClient });

interface PrefetchOptions {
  queryKey: readonly unknown[];
}

/**
 * Runs the queries into this request's cache. Never throws: a refused or failed query is simply
 * not sent to the browser, which then asks itself and shows its usual error panel.
 */
export async function prefetch(...queries: PrefetchOptions[]): Promise<void> {
  const queryClient = getQueryClient();
  await Promise.all(
    queries.map((options) =>
      // tRPC marks an infinite list's key with type "infinite"; its data is { pages, pageParams }.
      (options.queryKey[1] as { type?: string } | undefined)?.type === "infinite"
        ? queryClient.prefetchInfiniteQuery(options as Parameters<QueryClient["prefetchInfiniteQuery"]>[0])
        : queryClient.prefetchQuery(options as Parameters<QueryClient["prefetchQuery"]>[0]),
    ),
  );
}

/** Reads the data of a query prefetched in this request (to prefetch what depends on it), if it succeeded. */
export function prefetched<TData, TError>(queryKey: DataTag<QueryKey, TData, TError>): TData | undefined {
  return getQueryClient().getQueryData(queryKey);
}

/**
 * Hands this request's prefetched queries to the browser's cache. The data goes through JSON, as
 * it would over /api/trpc (no transformer), so the browser holds exactly what its own call returns.
 */
export function HydrateClient({ children }: { children: ReactNode }) {
  const state = dehydrate(getQueryClient(), { serializeData: (data: unknown) => (data === undefined ? data : JSON.parse(JSON.stringify(data))) });
  return <HydrationBoundary state={state}>{children}</HydrationBoundary>;
}
