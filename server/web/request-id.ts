/**
 * Every request's id, made fresh by proxy.ts for each request (a client's own `x-request-id` is
 * replaced, so nobody can plant log lines under an id a person quoted to support), forwarded to the page or route that serves it and sent back on the response: the same id is in
 * the server's log lines, on the error and not-found pages, and in tRPC's errors, so a person
 * quoting it lets support find the line.
 */
export const REQUEST_ID_HEADER = "x-request-id";
/** The path and query the request asked for, as the proxy saw it: layouts cannot read the URL otherwise. */
export const REQUEST_PATH_HEADER = "x-dp-path";

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

export function newRequestId(): string {
  return globalThis.crypto.randomUUID();
}

/**
 * The id proxy.ts gave this request. A request the proxy skips (a large declared body: see its
 * `config`) carries whatever the client sent, so the header is checked again where it is read.
 */
export function requestIdOf(headers: Headers): string {
  const given = headers.get(REQUEST_ID_HEADER);
  return given && REQUEST_ID.test(given) ? given : newRequestId();
}

/** The page path proxy.ts recorded, when it is one (a same-site absolute path); "/" otherwise. */
export function requestPathOf(headers: Headers): string {
  const given = headers.get(REQUEST_PATH_HEADER);
  return given && given.startsWith("/") && !given.startsWith("//") && !given.includes("\\") && given.length <= 4096 && URL.canParse(given, "http://page.invalid") ? given : "/";
}
