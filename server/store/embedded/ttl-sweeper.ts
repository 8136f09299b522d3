import type { AccountModel, Doc } from "./cosmosdb-server-internals";
import type { JournalEntry } from "./journal";

/**
 * Cosmos DB deletes a document `ttl` seconds after its last write (`_ts`), from the container's
 * `defaultTtl` or the document's own `ttl` (-1 = never). The package keeps documents forever,
 * so the embedded store sweeps expired ones itself and journals the deletes like any other.
 * Azure also hides expired documents from reads before it removes them; here they may live up to
 * one sweep interval longer, which callers must not rely on either way.
 */
export function sweepExpired(account: AccountModel, nowSeconds: number): JournalEntry[] {
  const deleted: JournalEntry[] = [];
  for (const database of account.databases._data.values()) {
    const db = database.read();
    if (!db) continue;
    for (const collection of database.collections._data.values()) {
      const definition = collection.read();
      const defaultTtl = definition?.defaultTtl;
      if (!definition || typeof defaultTtl !== "number") continue;
      const documents = collection.documents;
      for (const item of [...documents._data.values()]) {
        const doc = item.read() as (Doc & { ttl?: number }) | undefined;
        if (!doc) continue;
        const ttl = typeof doc.ttl === "number" ? doc.ttl : defaultTtl;
        if (ttl < 0 || (doc._ts ?? 0) + ttl > nowSeconds) continue;
        const partition = documents._getPartition(doc);
        documents.delete(doc.id, partition);
        deleted.push({ op: "del", db: db.id, coll: definition.id, id: doc.id, pk: partition });
      }
    }
  }
  return deleted;
}
