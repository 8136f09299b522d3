import type { IncomingMessage } from "node:http";
import { Readable } from "node:stream";

/**
 * Query features Cosmos DB has and the embedded store's query engine does not: refused with a
 * 501 that names the feature, instead of the engine's parse error, so code written against the
 * embedded store cannot come to rely on a query Azure would run differently, nor be puzzled by one
 * it cannot run here.
 */
const UNSUPPORTED: [RegExp, string][] = [
  [/\bOFFSET\s+\S+\s+LIMIT\b/i, "OFFSET … LIMIT (page with the continuation token instead)"],
  [/^\s*SELECT\s+DISTINCT\b/i, "SELECT DISTINCT"],
];

/**
 * Reads a query request's body to look at its text, and hands back a request the query handler
 * can read again. `unsupported` names a feature the embedded store refuses, or is null.
 */
export async function inspectQuery(req: IncomingMessage): Promise<{ request: IncomingMessage; unsupported: string | null }> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  const request = Object.assign(Readable.from([body]), { headers: req.headers, method: req.method, url: req.url }) as unknown as IncomingMessage;
  let text = "";
  try {
    text = String((JSON.parse(body.toString("utf8")) as { query?: unknown }).query ?? "");
  } catch {
    return { request, unsupported: null };
  }
  // String literals may say anything; only the query's own words count.
  const words = text.replace(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"/g, "''");
  const found = UNSUPPORTED.find(([pattern]) => pattern.test(words));
  return { request, unsupported: found ? found[1] : null };
}
