import * as helpersModule from "@zeit/cosmosdb-query/lib/helpers.js";
import { describe, expect, it } from "vitest";
import { engineSort } from "./engine-sort";

type Sort = typeof engineSort;
const engine = ((helpersModule as { default?: { sort: Sort } }).default ?? (helpersModule as unknown as { sort: Sort })).sort;

// A small seeded generator, so a failure can be replayed.
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

const PRIMITIVES = [undefined, null, true, false, 0, -1, 2.5, 10, "", "a", "b", "host-1", "host-10", "Host-2"];
const IRREGULAR = [[1, 2], [1, 2], ["a"], {}, { a: 1 }, [], [[1]]];

function rows(next: () => number, count: number, withIrregular: boolean, sharedRids: boolean) {
  const pick = (list: unknown[]) => list[Math.floor(next() * list.length)];
  const value = () => (withIrregular && next() < 0.3 ? pick(IRREGULAR) : pick(PRIMITIVES));
  return Array.from({ length: count }, (_, i) => {
    const doc: Record<string, unknown> = { _rid: sharedRids ? `r${Math.floor(next() * 5)}` : `r${String(i).padStart(4, "0")}`, a: value(), nested: { b: value() } };
    if (next() < 0.1) delete doc.a;
    return { c: doc };
  });
}

describe("engineSort gives the engine's sort's answer", () => {
  const getRid = (row: Record<string, unknown>) => (row.c as { _rid: unknown })._rid;
  const orderSets: [string[], boolean][][] = [
    [[["c", "a"], false]],
    [[["c", "a"], true]],
    [[["c", "nested", "b"], false]],
    [[["c", "a"], false], [["c", "nested", "b"], true]],
    [[["c", "nested", "b"], true], [["c", "a"], true]],
  ];

  it.each([
    ["primitives, unique rids", false, false],
    ["arrays and objects too", true, false],
    ["repeated rids", true, true],
  ])("on random rows: %s", (_label, withIrregular, sharedRids) => {
    const next = random(42 + Number(withIrregular) * 7 + Number(sharedRids) * 13);
    for (let round = 0; round < 60; round += 1) {
      const input = rows(next, 1 + Math.floor(next() * 80), withIrregular, sharedRids);
      for (const orders of orderSets) {
        const expected = engine(input, getRid, undefined, ...orders);
        // Same rows, in the same order: the very objects, not copies.
        expect(engineSort(input, getRid, undefined, ...orders)).toEqual(expected);
        expect(engineSort(input, getRid, undefined, ...orders).every((row, i) => row === expected[i])).toBe(true);
        // Already-ordered input takes the shortcut and must still agree.
        expect(engineSort(expected, getRid, undefined, ...orders)).toEqual(engine(expected, getRid, undefined, ...orders));
      }
    }
  });

  it("refuses a multi-property ORDER BY without its composite index, as the engine does", () => {
    const input = rows(random(7), 5, false, false);
    const orders: [string[], boolean][] = [[["c", "a"], false], [["c", "nested", "b"], false]];
    const message = "The order by query does not have a corresponding composite index that it can be served from.";
    expect(() => engine(input, getRid, [[{ path: "/a", order: "ascending" }]], ...orders)).toThrow(message);
    expect(() => engineSort(input, getRid, [[{ path: "/a", order: "ascending" }]], ...orders)).toThrow(message);
    const index = [[{ path: "/a", order: "ascending" }, { path: "/nested/b", order: "ascending" }]];
    expect(engineSort(input, getRid, index, ...orders)).toEqual(engine(input, getRid, index, ...orders));
  });
});
