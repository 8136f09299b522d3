import { headers } from "next/headers";
import { REQUEST_ID_HEADER } from "@/server/web/request-id";

/** This request's id (given by proxy.ts, the one in the server's log lines), for a page to show. */
export async function currentRequestId(): Promise<string | null> {
  return (await headers()).get(REQUEST_ID_HEADER);
}
