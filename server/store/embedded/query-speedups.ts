import * as documentsModule from "@vercel/cosmosdb-server/lib/account/documents.js";
import type { Doc } from "./cosmosdb-server-internals";
import { noteDeleted, noteSet } from "./order-index";

/**
 * Two costs of the package's query path that grow with the container, measured by the scale
 * benchmark (10,000 hosts: hosts.list first page 200 ms before, see bench/scale.bench.ts):
 *
 * 1. The compiled FROM step is `$c.reduce(($, c) => [...$, {c}], [])`, which copies the whole
 *    array once per document: quadratic. It is rewritten to a linear filter/map with the same
 *    result. The rewrite matches the code @zeit/cosmosdb-query 0.7.2 generates; any other shape
 *    is left as it is.
 * 2. A partition-scoped query had to walk every document of every partition to find its own.
 *    Each collection's documents now also keep an index by partition, maintained on every write,
 *    and the ORDER BY indexes of order-index.ts are kept in step with it here.
 */
interface Query {
  code: string;
  _code: string | null;
}

interface DocumentsInternals {
  _data: Map<string, { read(): Doc | undefined }>;
  _byPartition?: Map<unknown, Map<string, { read(): Doc | undefined }>>;
  _getPartition(doc: Doc): unknown;
  _item(keyPath: string, value: unknown, partition: unknown): { read(): Doc | undefined };
  _getQuery(sql: string): Query;
  _set(doc: Doc): Doc;
  delete(idOrRid: string, partition: unknown): void;
}

// `FROM c` and `FROM hosts h` compile to `($, c) => … {c: c}` and `($, hosts) => … {h: hosts}`.
const QUADRATIC_FROM = /\$c\.reduce\(\(\$, (\w+)\) => typeof \1 !== "undefined" \? \[\.\.\.\$, \{\s*(\w+): \1\s*\}\] : \$, \[\]\)/g;

export function linearizeFromStep(code: string): string {
  return code.replace(
    QUADRATIC_FROM,
    (_match, source: string, alias: string) => `$c.filter(${source} => typeof ${source} !== "undefined").map(${source} => ({ ${alias}: ${source} }))`,
  );
}

const Documents = ((documentsModule as { default?: unknown }).default ?? documentsModule) as { prototype: DocumentsInternals } & {
  default?: { prototype: DocumentsInternals };
};
const proto: DocumentsInternals = (typeof Documents === "function" ? Documents : Documents.default!).prototype;
const PATCHED = Symbol.for("discoparrot.embedded.query-speedups");

export function installQuerySpeedups(): void {
  const marker = proto as unknown as Record<symbol, boolean>;
  if (marker[PATCHED]) return;
  marker[PATCHED] = true;

  const getQuery = proto._getQuery;
  proto._getQuery = function (this: DocumentsInternals, sql: string) {
    const query = getQuery.call(this, sql);
    if (query._code === null) query._code = linearizeFromStep(query.code);
    return query;
  };

  const set = proto._set;
  proto._set = function (this: DocumentsInternals, doc: Doc) {
    const stored = set.call(this, doc);
    const rid = stored._rid as string;
    const partition = this._getPartition(stored);
    partitionIndex(this, partition).set(rid, this._data.get(rid)!);
    noteSet(this, partition, stored);
    return stored;
  };

  const remove = proto.delete;
  proto.delete = function (this: DocumentsInternals, idOrRid: string, partition: unknown) {
    const doc = this._item("/id", idOrRid, partition).read();
    remove.call(this, idOrRid, partition);
    if (!doc) return;
    const stored = this._getPartition(doc);
    partitionIndex(this, stored).delete(doc._rid as string);
    noteDeleted(this, stored, doc);
  };
}

function partitionIndex(documents: DocumentsInternals, partition: unknown) {
  documents._byPartition ??= new Map();
  let index = documents._byPartition.get(partition);
  if (!index) {
    index = new Map();
    documents._byPartition.set(partition, index);
  }
  return index;
}

/** The documents of one partition by `_rid`, without looking at any other. */
export function partitionMap(documents: unknown, partition: unknown): Map<string, { read(): Doc | undefined }> {
  return (documents as DocumentsInternals)._byPartition?.get(partition) ?? new Map();
}

/** The documents of one partition, without looking at any other. */
export function documentsInPartition(documents: unknown, partition: unknown): Doc[] {
  const index = (documents as DocumentsInternals)._byPartition?.get(partition);
  if (!index) return [];
  const docs: Doc[] = [];
  for (const item of index.values()) {
    const doc = item.read();
    if (doc) docs.push(doc);
  }
  return docs;
}
