import { createTRPCClient, httpBatchLink, type TRPCClient } from "@trpc/client";
import type { AppRouter } from "../server/trpc/root";

export type { AppRouter };
export type DiscoParrotClient = TRPCClient<AppRouter>;

export interface DiscoParrotClientOptions {
  /** The platform's base URL, e.g. https://parrot.example.com */
  url: string;
  /** An API token (`dpt_…`) created on the Settings page. */
  token: string;
  fetch?: typeof fetch;
}

/**
 * A typed client for internal tools: every procedure, its input and its output are checked
 * by the compiler against the platform's own router.
 */
export function createDiscoParrotClient({ url, token, fetch: fetchImpl }: DiscoParrotClientOptions): DiscoParrotClient {
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: new URL("/api/trpc", url).toString(),
        headers: () => ({ authorization: `Bearer ${token}` }),
        fetch: fetchImpl,
      }),
    ],
  });
}
