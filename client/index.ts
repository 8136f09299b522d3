import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink, type TRPCClient } from "@trpc/client";
import type { AppRouter } from "../server/trpc/root";
import { CLIENT_MAX_BATCH_ITEMS } from "./batch-limit";

export type { AppRouter };
export type DiscoParrotClient = TRPCClient<AppRouter>;

type SubscriptionLinkOptions = Parameters<typeof httpSubscriptionLink<AppRouter, EventSourceConstructor>>[0];
type EventSourceConstructor = NonNullable<Parameters<typeof httpSubscriptionLink>[0]["EventSource"]>;

export interface DiscoParrotClientOptions {
  /** The platform's base URL, e.g. https://parrot.example.com */
  url: string;
  /** An API token (`dpt_…`) created on the Settings page. */
  token: string;
  fetch?: typeof fetch;
  /**
   * For subscriptions (`runs.events`), which travel as server-sent events. The standard
   * EventSource sends no headers, so the token cannot ride on it: pass a ponyfill that can, e.g.
   * the `eventsource` package with `eventSourceOptions: { fetch: (url, init) => fetch(url, { ...init,
   * headers: { ...init.headers, authorization: "Bearer dpt_…" } }) }`. Defaults to the global one.
   */
  EventSource?: EventSourceConstructor;
  eventSourceOptions?: SubscriptionLinkOptions["eventSourceOptions"];
}

/**
 * A typed client for internal tools: every procedure, its input and its output are checked
 * by the compiler against the platform's own router. Queries and mutations are batched over
 * HTTP; subscriptions stream over SSE and resume from the last event id when they reconnect.
 */
export function createDiscoParrotClient({ url, token, fetch: fetchImpl, EventSource, eventSourceOptions }: DiscoParrotClientOptions): DiscoParrotClient {
  const endpoint = new URL("/api/trpc", url).toString();
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === "subscription",
        true: httpSubscriptionLink({ url: endpoint, EventSource, eventSourceOptions }),
        false: httpBatchLink({ url: endpoint, maxItems: CLIENT_MAX_BATCH_ITEMS, headers: () => ({ authorization: `Bearer ${token}` }), fetch: fetchImpl }),
      }),
    ],
  });
}
