import * as continuationModule from "@zeit/cosmosdb-query/lib/continuation-token.js";
import * as helpersModule from "@zeit/cosmosdb-query/lib/helpers.js";
import type { Doc } from "./cosmosdb-server-internals";
import { compareLikeEngine } from "./engine-sort";

/**
 * A page of `SELECT * FROM c ORDER BY c.<property> [ASC|DESC]` in one partition, read from an
 * index kept in that order instead of sorting the whole partition on every request (hosts.list at
 * 10,000 hosts spent nearly all its time there). The answer is the engine's, exactly:
 *
 * - the index holds the partition's documents ordered as the engine's sort orders them (the
 *   property's value, reversed for DESC, then `_rid` ascending; `_rid` is unique, so the order is
 *   total), and documents without the property are left out as the engine leaves them out;
 * - the page and its continuation token are made by the engine's own `paginate`, handed only the
 *   rows it looks at: from where the token says the previous page ended (found by binary search,
 *   with one row before it so that `paginate`'s own scan confirms the boundary) to one row past
 *   the page;
 * - anything else (another query shape, a property starting with `_`, which the store stamps in
 *   place, or a value that is an array or object, where the engine's comparison is not a total
 *   order) gets `null` and runs through the engine as before. order-index.test.ts compares both.
 *
 * The index of a partition and ORDER BY is made by the first such query and then kept in step by
 * every write (noteSet, noteDeleted), a binary search and an insertion each.
 */
export interface SimpleOrder {
  property: string;
  desc: boolean;
}

interface Entry {
  rid: string;
  value: unknown;
  doc: Doc;
}

interface OrderIndex {
  order: SimpleOrder;
  entries: Entry[];
  /** Entries whose value is an array or an object: while there are any the index is not used. */
  irregular: number;
}

interface Token {
  RID?: string;
  SRC?: number;
  RTD?: unknown[];
}

type Paginate = (rows: [Doc, { c: Doc }][], maxItemCount: unknown, continuation: unknown, getRid: (row: { c: Doc }) => unknown, ...orders: [string[], boolean][]) => {
  result: Doc[];
  continuation: unknown;
};

function moduleObject<T>(mod: unknown): T {
  const inner = (mod as { default?: unknown }).default;
  return (inner && typeof inner === "object" ? inner : mod) as T;
}
const { paginate } = moduleObject<{ paginate: Paginate }>(helpersModule);
const { decode } = moduleObject<{ decode(token: unknown): Token }>(continuationModule);

/** documents model → partition → "property asc|desc" → index. */
const indexes = new WeakMap<object, Map<unknown, Map<string, OrderIndex>>>();

function isIrregular(value: unknown): boolean {
  return typeof value === "object" && value !== null;
}

function compareEntries(order: SimpleOrder, a: { value: unknown; rid: unknown }, b: { value: unknown; rid: unknown }): number {
  const r = compareLikeEngine(a.value, b.value);
  if (r !== 0) return order.desc ? -r : r;
  return compareLikeEngine(a.rid, b.rid);
}

function entryFor(order: SimpleOrder, doc: Doc): Entry {
  return { rid: doc._rid as string, value: doc[order.property], doc };
}

/** The first position whose entry sorts after `entry`. */
function upperBound(index: OrderIndex, entry: Entry): number {
  let low = 0;
  let high = index.entries.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compareEntries(index.order, index.entries[middle]!, entry) <= 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The first position in [low, high) where `test` holds, for a test that is false, then true. */
function firstWhere(entries: Entry[], low: number, high: number, test: (entry: Entry) => boolean): number {
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (test(entries[middle]!)) high = middle;
    else low = middle + 1;
  }
  return low;
}

function build(order: SimpleOrder, partition: Map<string, { read(): Doc | undefined }>): OrderIndex {
  const entries: Entry[] = [];
  let irregular = 0;
  for (const item of partition.values()) {
    const doc = item.read();
    if (!doc) continue;
    const entry = entryFor(order, doc);
    if (isIrregular(entry.value)) irregular += 1;
    entries.push(entry);
  }
  return { order, entries: entries.sort((a, b) => compareEntries(order, a, b)), irregular };
}

/** A document was written into `partition` (create, replace, upsert): every index of the partition places it. */
export function noteSet(documents: object, partition: unknown, doc: Doc): void {
  const byOrder = indexes.get(documents)?.get(partition);
  if (!byOrder) return;
  for (const index of byOrder.values()) {
    const entry = entryFor(index.order, doc);
    if (isIrregular(entry.value)) index.irregular += 1;
    index.entries.splice(upperBound(index, entry), 0, entry);
  }
}

/** A document left `partition`: every index of the partition drops it. */
export function noteDeleted(documents: object, partition: unknown, doc: Doc): void {
  const byOrder = indexes.get(documents)?.get(partition);
  if (!byOrder) return;
  for (const index of byOrder.values()) {
    const entry = entryFor(index.order, doc);
    const at = upperBound(index, entry) - 1;
    const found = index.entries[at]?.rid === entry.rid ? at : index.entries.findIndex((candidate) => candidate.rid === entry.rid);
    if (found < 0) continue;
    if (isIrregular(index.entries[found]!.value)) index.irregular -= 1;
    index.entries.splice(found, 1);
  }
}

function indexFor(documents: object, partitionKey: unknown, partition: Map<string, { read(): Doc | undefined }>, order: SimpleOrder): OrderIndex {
  let byPartition = indexes.get(documents);
  if (!byPartition) indexes.set(documents, (byPartition = new Map()));
  let byOrder = byPartition.get(partitionKey);
  if (!byOrder) byPartition.set(partitionKey, (byOrder = new Map()));
  const name = `${order.property} ${order.desc ? "desc" : "asc"}`;
  let index = byOrder.get(name);
  // Kept in step by every write; a count that differs means it was not, so it is made again.
  if (!index || index.entries.length !== partition.size) {
    index = build(order, partition);
    byOrder.set(name, index);
  }
  return index;
}

/**
 * The engine's answer to a simple ORDER BY query on one partition (`{ result, continuation }`),
 * or null when this path does not apply and the engine must run the query.
 */
export function orderedPage(
  documents: object,
  partitionKey: unknown,
  partition: Map<string, { read(): Doc | undefined }>,
  order: SimpleOrder,
  options: { maxItemCount?: number | null; continuation?: unknown },
): { result: Doc[]; continuation: unknown } | null {
  const index = indexFor(documents, partitionKey, partition, order);
  if (index.irregular > 0) return null;
  const { entries } = index;
  // Documents without the property sort first (ASC) or last (DESC); the engine leaves them out.
  const low = order.desc ? 0 : firstWhere(entries, 0, entries.length, (entry) => entry.value !== undefined);
  const high = order.desc ? firstWhere(entries, 0, entries.length, (entry) => entry.value === undefined) : entries.length;

  const { maxItemCount, continuation } = options;
  let start = low;
  if (continuation) {
    // Where paginate's own scan would stop: the first row at or past the token's place.
    const token = decode((continuation as { token?: unknown }).token);
    start = firstWhere(entries, low, high, (entry) => {
      if (token.RTD !== undefined) {
        const r = compareLikeEngine(entry.value, token.RTD[0]) * (order.desc ? -1 : 1);
        if (r !== 0) return r > 0;
      }
      const rid = compareLikeEngine(entry.rid, token.RID);
      if (rid !== 0) return rid > 0;
      return !token.SRC;
    });
  }
  const from = continuation && start > low ? start - 1 : start;
  const to = typeof maxItemCount === "number" && maxItemCount > 0 ? Math.min(high, start + maxItemCount + 1) : high;
  const rows: [Doc, { c: Doc }][] = [];
  for (let i = from; i < to; i += 1) rows.push([entries[i]!.doc, { c: entries[i]!.doc }]);

  const page = paginate(rows, maxItemCount, continuation, (row) => row.c._rid, [["c", order.property], order.desc]);
  // paginate saw the row before `start` and must have passed over it; if not, let the engine answer.
  const expected = start < high ? entries[start]!.rid : undefined;
  if (page.result[0]?._rid !== expected) return null;
  return page;
}

/** The query's ORDER BY when it is `SELECT * FROM x ORDER BY x.property [ASC|DESC]` and nothing more, else null. */
export function simpleOrderOf(ast: unknown): SimpleOrder | null {
  const body = (ast as { body?: Record<string, unknown> } | undefined)?.body as QueryBody | undefined;
  if (!body || body.type !== "select_query") return null;
  for (const key of Object.keys(body)) if (!KNOWN.has(key) && (body as unknown as Record<string, unknown>)[key] != null) return null;
  if (body.top || body.where || body.select?.type !== "select_specification" || body.select["*"] !== true) return null;
  const source = body.from?.source;
  if (body.from?.type !== "from_specification" || (body.from.joins?.length ?? 0) > 0 || source?.type !== "from_source") return null;
  if (source.expression?.type !== "collection_expression" || source.expression.expression?.type !== "identifier") return null;
  const root = source.alias?.name ?? source.expression.expression.name;
  const sorts = body.orderBy?.expressions;
  if (body.orderBy?.type !== "sort_specification" || sorts?.length !== 1) return null;
  const { expression, order } = sorts[0]!;
  if (expression.type !== "scalar_member_expression" || expression.object?.type !== "identifier" || expression.object.name !== root) return null;
  const property = !expression.computed && expression.property?.type === "identifier" ? expression.property.name : expression.computed && expression.property?.type === "string_constant" ? expression.property.value : undefined;
  if (typeof property !== "string" || property === "" || property.startsWith("_")) return null;
  return { property, desc: order === "DESC" };
}

const KNOWN = new Set(["type", "top", "select", "from", "where", "orderBy"]);

interface AstNode {
  type: string;
  name?: string;
  value?: unknown;
  object?: AstNode;
  property?: AstNode;
  computed?: boolean;
  expression?: AstNode;
}
interface QueryBody {
  type: string;
  top?: unknown;
  where?: unknown;
  select?: { type: string; "*"?: boolean };
  from?: { type: string; joins?: unknown[]; source?: { type: string; expression?: AstNode; alias?: { name: string } | null } };
  orderBy?: { type: string; expressions?: { expression: AstNode; order: string | null }[] } | null;
}
