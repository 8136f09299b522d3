import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { isDeepStrictEqual } from "node:util";
import { type AccountModel, readJson } from "./cosmosdb-server-internals";
import type { JournalCollection, JournalEntry } from "./journal";

const COLLECTION_PATH = /^\/dbs\/([^/]+)\/colls\/([^/]+)\/?$/;

/** The database and container a Replace Collection request names, or undefined when it is not one. */
export function replaceCollectionTarget(req: IncomingMessage): { dbId: string; collId: string } | undefined {
  if (req.method !== "PUT") return undefined;
  const match = COLLECTION_PATH.exec(new URL(req.url ?? "/", "http://store").pathname);
  return match ? { dbId: decodeURIComponent(match[1]!), collId: decodeURIComponent(match[2]!) } : undefined;
}

export interface ReplaceOutcome {
  status: number;
  body: unknown;
  /** What to journal when the container changed. */
  journal: JournalEntry | undefined;
}

/**
 * Replace Collection (https://learn.microsoft.com/rest/api/cosmos-db/replace-a-collection): a
 * container's indexing policy (and its default time to live) may change after creation; its id,
 * partition key and unique keys may not, and a request that would change them is refused whole.
 * The definition sent replaces the old one: an omitted `defaultTtl` turns expiry off, an omitted
 * indexing policy is the default one. The embedded store indexes nothing, so the policy is kept
 * and answered back, which is what a client can observe.
 */
export async function replaceCollection(account: AccountModel, req: IncomingMessage, target: { dbId: string; collId: string }): Promise<ReplaceOutcome> {
  const collection = account.database(target.dbId).collection(target.collId);
  const current = collection.read();
  if (!account.database(target.dbId).read() || !current) return refusal(404, "NotFound", "Resource Not Found");
  let body: Record<string, unknown>;
  try {
    body = await readJson(req);
  } catch {
    return refusal(400, "BadRequest", "The request body is not valid JSON.");
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) return refusal(400, "BadRequest", "The request body must be a container definition.");
  if (body.id !== current.id) return refusal(400, "BadRequest", "Changing a container's id is not supported.");
  if (!isDeepStrictEqual(paths(body.partitionKey), paths(current.partitionKey))) return refusal(400, "BadRequest", "Changing a container's partition key is not supported.");
  if (body.uniqueKeyPolicy !== undefined && !isDeepStrictEqual(uniqueKeyPaths(body.uniqueKeyPolicy), uniqueKeyPaths(current.uniqueKeyPolicy))) {
    return refusal(400, "BadRequest", "Changing a container's unique keys is not supported.");
  }
  if (body.indexingPolicy !== undefined && (typeof body.indexingPolicy !== "object" || body.indexingPolicy === null || Array.isArray(body.indexingPolicy))) {
    return refusal(400, "BadRequest", "The indexing policy must be an object.");
  }
  if (body.defaultTtl !== undefined && !(Number.isInteger(body.defaultTtl) && ((body.defaultTtl as number) === -1 || (body.defaultTtl as number) > 0))) {
    return refusal(400, "BadRequest", "The default time to live must be -1 or a positive number of seconds.");
  }
  const changed: JournalCollection = {
    id: current.id,
    partitionKey: current.partitionKey,
    uniqueKeyPolicy: current.uniqueKeyPolicy,
    indexingPolicy: body.indexingPolicy,
    defaultTtl: body.defaultTtl,
  };
  applyCollectionChange(account, target.dbId, changed);
  return { status: 200, body: collection.read(), journal: { op: "coll~", db: target.dbId, coll: changed } };
}

/** Applies a replaced definition (from a request or the journal) to the container in memory. */
export function applyCollectionChange(account: AccountModel, dbId: string, changed: JournalCollection): void {
  const definition = account.database(dbId).collection(changed.id).read();
  if (!definition) return;
  if (changed.indexingPolicy === undefined) delete definition.indexingPolicy;
  else definition.indexingPolicy = changed.indexingPolicy;
  if (changed.defaultTtl === undefined) delete definition.defaultTtl;
  else definition.defaultTtl = changed.defaultTtl;
  definition._etag = randomUUID();
  definition._ts = Math.floor(Date.now() / 1000);
}

function paths(partitionKey: unknown): unknown {
  return (partitionKey as { paths?: unknown } | undefined)?.paths ?? ["/id"];
}

function uniqueKeyPaths(policy: unknown): unknown {
  return ((policy as { uniqueKeys?: { paths?: unknown }[] } | undefined)?.uniqueKeys ?? []).map((key) => key.paths);
}

function refusal(status: number, code: string, message: string): ReplaceOutcome {
  return { status, body: { code, message }, journal: undefined };
}
