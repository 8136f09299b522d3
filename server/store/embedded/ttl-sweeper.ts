import type { AccountModel, CollectionModel, Doc } from "./cosmosdb-server-internals";
import type { JournalEntry } from "./journal";

/**
 * Cosmos DB expires a document `ttl` seconds after its last write (`_ts`), from the container's
 * `defaultTtl` or the document's own `ttl` (-1 = never; without a `defaultTtl` nothing expires),
 * and an expired document is never returned, by a read or a query, even before its background
 * delete (https://learn.microsoft.com/azure/cosmos-db/nosql/time-to-live). The package keeps
 * documents forever, so the embedded store deletes expired ones itself, journalled like any
 * other delete: a container is swept before every request that touches it once one of its
 * documents may be due (a write keeps the "nothing due before" mark current, so a request to a
 * container with nothing due costs one comparison), and every container on a timer to free memory.
 */
/** Per account, per container ("db/coll"): no document expires before this second. Absent: sweep to find out. */
const marks = new WeakMap<AccountModel, Map<string, number>>();
function marksOf(account: AccountModel): Map<string, number> {
  let map = marks.get(account);
  if (!map) marks.set(account, (map = new Map()));
  return map;
}

export function sweepExpired(account: AccountModel, nowSeconds: number): JournalEntry[] {
  const deleted: JournalEntry[] = [];
  for (const database of account.databases._data.values()) {
    const db = database.read();
    if (!db) continue;
    for (const collection of database.collections._data.values()) deleted.push(...sweepCollection(account, db.id, collection, nowSeconds));
  }
  return deleted;
}

/** Sweeps the container `dbId/collId` if one of its documents may have expired by `nowSeconds`. */
export function sweepCollectionIfDue(account: AccountModel, dbId: string, collId: string, nowSeconds: number): JournalEntry[] {
  if ((marksOf(account).get(`${dbId}/${collId}`) ?? 0) > nowSeconds) return [];
  const collection = account.database(dbId).collection(collId);
  if (!collection.read()) return [];
  return sweepCollection(account, dbId, collection, nowSeconds);
}

/** Keeps the container's mark current after a write of `doc`, which may expire sooner than anything before it. */
export function noteWritten(account: AccountModel, dbId: string, collId: string, doc: Doc): void {
  const key = `${dbId}/${collId}`;
  const known = marksOf(account).get(key);
  // Unknown: the next request sweeps and finds out anyway.
  if (known === undefined) return;
  const expires = expiryOf(doc, account.database(dbId).collection(collId).read()?.defaultTtl);
  if (expires !== undefined && expires < known) marksOf(account).set(key, expires);
}

/** A container made or removed: what was known of its documents no longer holds. */
export function forgetContainer(account: AccountModel, dbId: string, collId: string): void {
  marksOf(account).delete(`${dbId}/${collId}`);
}

function sweepCollection(account: AccountModel, dbId: string, collection: CollectionModel, nowSeconds: number): JournalEntry[] {
  const definition = collection.read();
  const deleted: JournalEntry[] = [];
  let next = Number.POSITIVE_INFINITY;
  if (definition && typeof definition.defaultTtl === "number") {
    const documents = collection.documents;
    for (const item of [...documents._data.values()]) {
      const doc = item.read();
      if (!doc) continue;
      const expires = expiryOf(doc, definition.defaultTtl);
      if (expires === undefined) continue;
      if (expires > nowSeconds) {
        next = Math.min(next, expires);
        continue;
      }
      const partition = documents._getPartition(doc);
      documents.delete(doc.id, partition);
      deleted.push({ op: "del", db: dbId, coll: definition.id, id: doc.id, pk: partition });
    }
  }
  if (definition) marksOf(account).set(`${dbId}/${definition.id}`, next);
  return deleted;
}

/** When `doc` expires (seconds since the epoch), or undefined if it never does. */
function expiryOf(doc: Doc & { ttl?: unknown }, defaultTtl: unknown): number | undefined {
  if (typeof defaultTtl !== "number") return undefined;
  const ttl = typeof doc.ttl === "number" ? doc.ttl : defaultTtl;
  return ttl < 0 ? undefined : (doc._ts ?? 0) + ttl;
}
