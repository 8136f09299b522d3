/**
 * The query engine's ORDER BY sort (@zeit/cosmosdb-query 0.7.2, helpers.js `sort`), with the same
 * answer for every input and less work: each row's ORDER BY values and `_rid` are read once, not
 * twice per comparison, and rows that already come in order are not sorted again.
 *
 * Same answer: the comparison below gives the engine's result for every pair (same types by `<`,
 * arrays and objects as the engine treats them, mixed types by the engine's type order, ties by
 * `_rid`), so V8's sort makes the same permutation. The "already in order" shortcut is taken only
 * when every value and `_rid` is a primitive: then the comparison is a total preorder and a stable
 * sort leaves a non-descending input as it is. engine-sort.test.ts checks both against the
 * engine's own sort.
 */
type Row = Record<string, unknown>;
type Order = [keys: string[], desc: boolean];
interface CompositeIndex {
  path: string;
  order: string;
}
interface Keyed {
  row: Row;
  values: unknown[];
  rid: unknown;
}

const TYPE_ORDERS = ["undefined", "null", "boolean", "number", "string", "array", "object"];

function typeOf(value: unknown): string {
  const type = typeof value;
  if (type !== "object") return type;
  if (value === null) return "null";
  return Array.isArray(value) ? "array" : type;
}

/** The engine's `comparator`. */
export function compareLikeEngine(a: unknown, b: unknown): number {
  if (a === b) return 0;
  const aType = typeOf(a);
  const bType = typeOf(b);
  if (aType === bType) {
    if (aType === "object") return 0;
    return (a as string) < (b as string) ? -1 : 1;
  }
  for (const type of TYPE_ORDERS) {
    if (aType === type) return -1;
    if (bType === type) return 1;
  }
  return 0;
}

/** The engine's `getValue`: a path into a row, undefined past anything that is not an object. */
function valueAt(row: unknown, keys: string[]): unknown {
  let value = row;
  for (const key of keys) {
    value = typeof value === "object" && value ? (value as Row)[key] : undefined;
    if (value === undefined) return undefined;
  }
  return value;
}

function isPrimitive(value: unknown): boolean {
  return value === null || (typeof value !== "object" && typeof value !== "function");
}

export function engineSort(collection: Row[], getRid: (row: Row) => unknown, compositeIndexes: CompositeIndex[][] | undefined, ...orders: Order[]): Row[] {
  if (orders.length > 1 && compositeIndexes) {
    const found = compositeIndexes.some(
      (indexes) =>
        indexes.length === orders.length &&
        indexes.every((index, i) => {
          const [keys, desc] = orders[i]!;
          return `/${keys.slice(1).join("/")}` === index.path && (desc ? "descending" : "ascending") === index.order;
        }),
    );
    if (!found) throw new Error("The order by query does not have a corresponding composite index that it can be served from.");
  }

  const compare = (a: Keyed, b: Keyed): number => {
    for (let i = 0; i < orders.length; i += 1) {
      const r = compareLikeEngine(a.values[i], b.values[i]);
      if (r !== 0) return orders[i]![1] ? -r : r;
    }
    return compareLikeEngine(a.rid, b.rid);
  };

  const keyed: Keyed[] = new Array<Keyed>(collection.length);
  let primitive = true;
  let inOrder = true;
  for (let i = 0; i < collection.length; i += 1) {
    const row = collection[i]!;
    const values = new Array<unknown>(orders.length);
    for (let k = 0; k < orders.length; k += 1) {
      const value = valueAt(row, orders[k]![0]);
      if (primitive && !isPrimitive(value)) primitive = false;
      values[k] = value;
    }
    const rid = getRid(row);
    if (primitive && !isPrimitive(rid)) primitive = false;
    const entry = { row, values, rid };
    if (inOrder && i > 0 && compare(keyed[i - 1]!, entry) > 0) inOrder = false;
    keyed[i] = entry;
  }
  if (!(primitive && inOrder)) keyed.sort(compare);

  const sorted: Row[] = [];
  for (const entry of keyed) {
    // With one ORDER BY, rows without the value are left out (the engine's rule).
    if (orders.length !== 1 || entry.values[0] !== undefined) sorted.push(entry.row);
  }
  return sorted;
}
