import { EventSource } from "eventsource";
// The one import of the typed client: point it at "@discoparrot/client" once that package lands.
import { createDiscoParrotClient, type DiscoParrotClient } from "../../../client/index";
import type { TCliConfig } from "../../../prisma-free-schema/cli";

export type PlatformClient = DiscoParrotClient;
export { TRPCClientError } from "@trpc/client";

/**
 * The typed client with the token on every call, subscriptions included: Node 20 has no
 * EventSource, and the standard one sends no headers, so the `eventsource` package's rides on a
 * fetch that adds the bearer. This file is the CLI's only use of the client.
 */
export function platformClient({ url, token }: TCliConfig): PlatformClient {
  const authorization = `Bearer ${token}`;
  return createDiscoParrotClient({
    url,
    token,
    EventSource,
    eventSourceOptions: {
      fetch: (input: string | URL, init?: RequestInit) => fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string> | undefined), authorization } }),
    },
  });
}
