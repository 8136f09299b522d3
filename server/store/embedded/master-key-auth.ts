import { createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";

/**
 * Checks the master-key signature the Cosmos DB client puts on every request, exactly as the
 * service does, so the embedded store on loopback is no open database: only a client holding
 * this process's random key gets in. The signed text is
 * `verb \n resourceType \n resourceId \n date \n \n` (the SDK's `signature()` in headers.js).
 */
const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

function resourceOf(pathname: string): { type: string; id: string } {
  const segments = pathname
    .split("/")
    .filter(Boolean)
    .map((segment) => decodeURIComponent(segment));
  if (segments.length === 0) return { type: "", id: "" };
  // Even: an item link (/dbs/a/colls/b); odd: a feed under its parent (/dbs/a/colls).
  if (segments.length % 2 === 0) return { type: segments[segments.length - 2]!, id: segments.join("/") };
  return { type: segments[segments.length - 1]!, id: segments.slice(0, -1).join("/") };
}

export function isSignedWith(key: Buffer, req: IncomingMessage): boolean {
  const header = req.headers.authorization;
  const date = req.headers["x-ms-date"];
  if (typeof header !== "string" || typeof date !== "string") return false;
  const when = Date.parse(date);
  if (Number.isNaN(when) || Math.abs(Date.now() - when) > MAX_CLOCK_SKEW_MS) return false;

  let params: URLSearchParams;
  try {
    params = new URLSearchParams(decodeURIComponent(header));
  } catch {
    return false;
  }
  const sig = params.get("sig");
  if (params.get("type") !== "master" || !sig) return false;

  const pathname = new URL(req.url ?? "/", "http://embedded").pathname.replace(/^\/+/, "/");
  const { type, id } = resourceOf(pathname);
  const text = `${(req.method ?? "").toLowerCase()}\n${type.toLowerCase()}\n${id}\n${date.toLowerCase()}\n\n`;
  const expected = createHmac("sha256", key).update(text, "utf8").digest();
  const given = Buffer.from(sig.replace(/ /g, "+"), "base64");
  return given.length === expected.length && timingSafeEqual(given, expected);
}
