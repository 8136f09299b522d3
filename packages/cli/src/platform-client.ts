// The CLI's one use of the typed client: the package's own source, which carries the
// authenticated EventSource for Node, so `runs watch` streams with nothing but the token.
import { createDiscoParrotClient, type DiscoParrotClient } from "../../client/src/index";
import type { TCliConfig } from "../../../prisma-free-schema/cli";

export type PlatformClient = DiscoParrotClient;
export { TRPCClientError } from "@trpc/client";

export function platformClient({ url, token }: TCliConfig): PlatformClient {
  return createDiscoParrotClient({ url, token });
}
