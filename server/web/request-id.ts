/**
 * Every request's id, given once by proxy.ts (or kept from a trusted caller's `x-request-id`),
 * forwarded to the page or route that serves it and sent back on the response: the same id is in
 * the server's log lines, on the error and not-found pages, and in tRPC's errors, so a person
 * quoting it lets support find the line.
 */
export const REQUEST_ID_HEADER = "x-request-id";
/** The path and query the request asked for, as the proxy saw it: layouts cannot read the URL otherwise. */
export const REQUEST_PATH_HEADER = "x-dp-path";

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

export function requestIdOf(headers: Headers): string {
  const given = headers.get(REQUEST_ID_HEADER);
  return given && REQUEST_ID.test(given) ? given : globalThis.crypto.randomUUID();
}
