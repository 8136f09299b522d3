import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink, TRPCClientError, type TRPCClient } from "@trpc/client";
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "./app-router";
import { authenticatedEventSource } from "./authenticated-event-source";
import { CLIENT_MAX_BATCH_ITEMS } from "./batch-limit";

export type { AppRouter };
export type DiscoParrotClient = TRPCClient<AppRouter>;
/** Every procedure's input, e.g. `RouterInputs["profiles"]["create"]`. */
export type RouterInputs = inferRouterInputs<AppRouter>;
/** Every procedure's output, e.g. `RouterOutputs["runs"]["get"]`. */
export type RouterOutputs = inferRouterOutputs<AppRouter>;
/** A run's event as `runs.events` delivers it (and the SSE route's `data:`). */
export type RunEvent = RouterOutputs["runs"]["events"] extends AsyncIterable<{ data: infer E }> ? E : never;
/** What every failed call throws: `error.data.code` (tRPC code), `error.message`, `error.data.fieldErrors`. */
export type DiscoParrotError = TRPCClientError<AppRouter>;

export interface DiscoParrotClientOptions {
  /** The platform's base URL, e.g. https://parrot.example.com */
  url: string;
  /** An API token (`dpt_…`) created on Settings → API tokens. */
  token: string;
  /** Another fetch (a proxy agent, a test double); defaults to the global one. */
  fetch?: typeof fetch;
}

/**
 * A typed client for internal tools: every procedure, its input and its output are checked by the
 * compiler against the platform's router. Queries and mutations are batched over HTTP;
 * subscriptions (`runs.events`) stream over SSE with the token, and resume from the last event id
 * when they reconnect.
 */
export function createDiscoParrotClient({ url, token, fetch: fetchImpl }: DiscoParrotClientOptions): DiscoParrotClient {
  const endpoint = new URL("/api/trpc", url).toString();
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === "subscription",
        true: httpSubscriptionLink({ url: endpoint, EventSource: authenticatedEventSource(token, fetchImpl) }),
        false: httpBatchLink({ url: endpoint, maxItems: CLIENT_MAX_BATCH_ITEMS, headers: () => ({ authorization: `Bearer ${token}` }), fetch: fetchImpl }),
      }),
    ],
  });
}

/** Narrows a caught error to the platform's typed error. */
export function isDiscoParrotError(error: unknown): error is DiscoParrotError {
  return error instanceof TRPCClientError;
}
