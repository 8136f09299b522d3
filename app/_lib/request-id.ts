import { headers } from "next/headers";
import { REQUEST_ID_HEADER, requestIdOf } from "@/server/web/request-id";

/** This request's id (given by proxy.ts, the one in the server's log lines), for a page to show. */
export async function currentRequestId(): Promise<string | null> {
  const all = await headers();
  // Checked again: a request proxy.ts skipped carries the client's own header.
  return all.has(REQUEST_ID_HEADER) ? requestIdOf(all) : null;
}
