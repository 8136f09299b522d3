/**
 * Where a redirect may go: only a path on this site (issue 10 item 4). Anything else — another
 * host, a protocol-relative `//evil`, `/\evil` (browsers read `\` as `/`), tabs and newlines
 * (browsers drop them, turning `/\t/evil` into `//evil`), the same tricks percent-encoded, a
 * `javascript:` or `data:` URL — becomes `fallback`. Never throws, whatever the input.
 */
const MAX_LENGTH = 2048;
/** Control characters, space-likes browsers strip or fold, and the backslash. */
const FORBIDDEN = /[\u0000-\u0020\u007f-\u00a0\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\ufeff\\]/;
const PLACEHOLDER_ORIGIN = "http://same-origin.invalid";

export function safeCallbackUrl(value: string | string[] | undefined | null, fallback = "/hosts"): string {
  return safeRedirectPath(Array.isArray(value) ? value[0] : value, { fallback });
}

/**
 * `value` as a same-site path (`/runs/run_1?x=1#y`), or `fallback`. With `origin`, an absolute
 * URL on exactly that origin is accepted too and reduced to its path (next-auth hands its
 * redirect callback absolute URLs of our own origin).
 */
export function safeRedirectPath(value: unknown, options: { fallback: string; origin?: string }): string {
  const { fallback } = options;
  if (typeof value !== "string" || value.length === 0 || value.length > MAX_LENGTH) return fallback;
  let candidate = value;
  if (options.origin && sameOrigin(candidate, options.origin)) {
    const url = new URL(candidate);
    candidate = `${url.pathname}${url.search}${url.hash}`;
  }
  if (!isPlainPath(candidate)) return fallback;
  // The same tricks, percent-encoded (once or more): what a later decode would turn them into.
  let decoded = candidate;
  for (let round = 0; round < 3; round += 1) {
    let next: string;
    try {
      next = decodeURIComponent(decoded);
    } catch {
      return fallback;
    }
    if (next === decoded) break;
    if (!isPlainDecodedPath(next)) return fallback;
    decoded = next;
  }
  // Last word to the URL parser browsers use: the path must still resolve to our own origin.
  let resolved: URL;
  try {
    resolved = new URL(candidate, PLACEHOLDER_ORIGIN);
  } catch {
    return fallback;
  }
  if (resolved.origin !== PLACEHOLDER_ORIGIN) return fallback;
  // What comes out is checked as strictly as what came in: dot segments (`/.//evil`,
  // `/x/..//evil`, `/%2e//evil`) resolve to a path that starts with `//`, which a browser would
  // read as another host.
  const path = `${resolved.pathname}${resolved.search}${resolved.hash}`;
  return isPlainPath(path) ? path : fallback;
}

/** Starts with one `/`, not `//` or `/\`, and holds nothing a browser would strip or fold. */
function isPlainPath(path: string): boolean {
  return path.startsWith("/") && !path.startsWith("//") && !FORBIDDEN.test(path);
}

/** A decoded form may hold spaces (`?q=a%20b`), but no controls, no backslash and no leading `//`. */
function isPlainDecodedPath(path: string): boolean {
  return path.startsWith("/") && !path.startsWith("//") && !/[\u0000-\u001f\u007f\\]/.test(path);
}

function sameOrigin(value: string, origin: string): boolean {
  if (!/^https?:\/\//i.test(value) || FORBIDDEN.test(value)) return false;
  try {
    return new URL(value).origin === new URL(origin).origin;
  } catch {
    return false;
  }
}

/**
 * Where a signed-out visit to `path` is sent: sign-in, told to come back there afterwards. Only a
 * path on this site is carried; anything else (and the home page) signs in to the default page.
 */
export function signInPathFor(path: string | null | undefined): string {
  const back = safeRedirectPath(path, { fallback: "/" });
  return back === "/" ? "/signin" : `/signin?callbackUrl=${encodeURIComponent(back)}`;
}
