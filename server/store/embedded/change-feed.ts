import type { IncomingMessage } from "node:http";
import { type AccountModel, type Doc, getPartitionFromHeader, parsePartitionKey, type RouteParams } from "./cosmosdb-server-internals";

/**
 * The change feed, pull model, latest-version mode
 * (https://learn.microsoft.com/azure/cosmos-db/nosql/change-feed-pull-model): each write stamps
 * its item with the container's next log sequence number (`_lsn`, kept in the item and so in the
 * journal, so continuations stay valid across a restart); a read of the feed returns each item's
 * latest version, in write order, after the continuation the client holds (its `If-None-Match`,
 * the `etag` of the previous answer), or from the beginning, or from now (`If-None-Match: *`), or
 * from a time (`If-Modified-Since`); per container or per partition key; `304` when nothing is
 * new. Deletes are not in it, as in Cosmos DB's latest-version mode.
 */
const counters = new WeakMap<AccountModel, Map<string, number>>();

export function isChangeFeedRead(req: IncomingMessage, params: RouteParams): boolean {
  return req.method === "GET" && Boolean(params.collId) && !params.docId && String(req.headers["a-im"] ?? "").toLowerCase() === "incremental feed";
}

/** Stamps a just-written item (the stored one, and the copy about to be journalled) with the container's next LSN. */
export function stampWrite(account: AccountModel, dbId: string, collId: string, written: Doc): void {
  const collection = account.database(dbId).collection(collId);
  const lsn = nextLsn(account, dbId, collId);
  written._lsn = lsn;
  const stored = collection.document(written.id, collection.documents._getPartition(written)).read();
  if (stored) stored._lsn = lsn;
}

export function readChangeFeed(account: AccountModel, req: IncomingMessage, params: RouteParams): { status: number; etag: string; body: unknown } {
  const collection = account.database(params.dbId!).collection(params.collId!);
  if (!collection.read()) return { status: 404, etag: "", body: { code: "NotFound", message: "Resource Not Found" } };
  const current = currentLsn(account, params.dbId!, params.collId!);
  const ifNoneMatch = String(req.headers["if-none-match"] ?? "").replace(/^W\//, "").replace(/"/g, "");
  // -1: from the beginning (items written before LSNs existed have none and come first).
  const after = ifNoneMatch === "*" ? current : /^\d+$/.test(ifNoneMatch) ? Number(ifNoneMatch) : -1;
  const since = req.headers["if-modified-since"] ? Date.parse(String(req.headers["if-modified-since"])) / 1000 : undefined;
  const partitionHeader = getPartitionFromHeader(req);
  const partition = partitionHeader === undefined ? undefined : JSON.stringify(parsePartitionKey(partitionHeader, ""));
  const requested = Number(req.headers["x-ms-max-item-count"] ?? 100);
  const limit = requested > 0 ? requested : Number.POSITIVE_INFINITY;

  const changed: Doc[] = [];
  for (const item of collection.documents._data.values()) {
    const doc = item.read();
    if (!doc || lsnOf(doc) <= after) continue;
    if (since !== undefined && (doc._ts ?? 0) < since) continue;
    if (partition !== undefined && JSON.stringify(collection.documents._getPartition(doc)) !== partition) continue;
    changed.push(doc);
  }
  changed.sort((a, b) => lsnOf(a) - lsnOf(b));
  const page = changed.slice(0, limit);
  if (page.length === 0) return { status: 304, etag: `"${Math.max(after, current)}"`, body: undefined };
  return { status: 200, etag: `"${lsnOf(page.at(-1)!)}"`, body: { _rid: collection.read()!._rid, Documents: page, _count: page.length } };
}

function lsnOf(doc: Doc): number {
  return typeof doc._lsn === "number" ? doc._lsn : 0;
}

function nextLsn(account: AccountModel, dbId: string, collId: string): number {
  const next = currentLsn(account, dbId, collId) + 1;
  countersOf(account).set(`${dbId}/${collId}`, next);
  return next;
}

/** The container's last LSN: counted on from the highest in its items after a restart. */
function currentLsn(account: AccountModel, dbId: string, collId: string): number {
  const key = `${dbId}/${collId}`;
  const known = countersOf(account).get(key);
  if (known !== undefined) return known;
  let highest = 0;
  for (const item of account.database(dbId).collection(collId).documents._data.values()) {
    const doc = item.read();
    if (doc) highest = Math.max(highest, lsnOf(doc));
  }
  countersOf(account).set(key, highest);
  return highest;
}

function countersOf(account: AccountModel): Map<string, number> {
  let map = counters.get(account);
  if (!map) counters.set(account, (map = new Map()));
  return map;
}
