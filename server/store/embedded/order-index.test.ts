import { describe, expect, it } from "vitest";
import { Account, type Doc } from "./cosmosdb-server-internals";
import { orderedPage, simpleOrderOf } from "./order-index";
import { executeQuery, type ParsedQuery } from "./query-executor";
import { documentsInPartition, installQuerySpeedups, partitionMap } from "./query-speedups";

installQuerySpeedups();

function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

interface Model {
  create(doc: Doc): Doc;
  upsert(doc: Doc): Doc;
  delete(id: string, partition: unknown): void;
  _getQuery(sql: string): ParsedQuery & { ast: unknown; exec(data: Doc[], options: Record<string, unknown>): { result: Doc[]; continuation: { token: string } | null } };
}

function collection() {
  const account = new Account("127.0.0.1", 1);
  account.databases.create({ id: "db" });
  account.database("db").collections.create({ id: "hosts", partitionKey: { paths: ["/ws"], kind: "Hash" } });
  return account.database("db").collection("hosts").documents as unknown as Model;
}

type Page = { result: Doc[]; continuation: { token: string } | null };

/** Every page of `sql` in partition `ws`, by the index when `indexed`, else by the engine as the store ran it before. */
function allPages(documents: Model, ws: string, sql: string, maxItemCount: number | null, indexed: boolean): Page[] {
  const query = documents._getQuery(sql);
  const pages: Page[] = [];
  let continuation: { token: string } | null = null;
  do {
    let page: Page | null = null;
    if (indexed) {
      const order = simpleOrderOf(query.ast);
      expect(order).not.toBeNull();
      page = orderedPage(documents, ws, partitionMap(documents, ws), order!, { maxItemCount, continuation }) as Page | null;
      expect(page).not.toBeNull();
    } else {
      page = query.exec(documentsInPartition(documents, ws), { maxItemCount, continuation, compositeIndexes: [] });
    }
    pages.push(page!);
    continuation = page!.continuation;
  } while (continuation && pages.length < 500);
  return pages;
}

const NAMES = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta"];

describe("an ORDER BY page read from the order index", () => {
  it("is exactly the engine's page, token included, through creates, replaces and deletes", () => {
    const documents = collection();
    const next = random(11);
    const ids: string[] = [];
    const value = () => {
      const roll = next();
      if (roll < 0.05) return undefined;
      if (roll < 0.1) return null;
      if (roll < 0.2) return Math.floor(next() * 5);
      if (roll < 0.25) return next() < 0.5;
      // Repeated names, so ties are broken by _rid.
      return `${NAMES[Math.floor(next() * NAMES.length)]}-${Math.floor(next() * 8)}`;
    };
    const queries = ["SELECT * FROM c ORDER BY c.name", "SELECT * FROM c ORDER BY c.name DESC", "SELECT * FROM hosts h ORDER BY h['name'] ASC", "SELECT * FROM c ORDER BY c.rank DESC"];

    for (let round = 0; round < 25; round += 1) {
      for (let write = 0; write < 20; write += 1) {
        const roll = next();
        const ws = next() < 0.8 ? "w1" : "w2";
        if (roll < 0.5 || ids.length === 0) {
          const id = `h${ids.length}`;
          ids.push(id);
          documents.create({ id, ws, name: value(), rank: value() } as Doc);
        } else if (roll < 0.8) {
          const id = ids[Math.floor(next() * ids.length)]!;
          try {
            documents.upsert({ id, ws: "w1", name: value(), rank: value() } as Doc);
          } catch {
            // That id lives in the other partition: a new document there is fine too.
          }
        } else {
          try {
            documents.delete(ids[Math.floor(next() * ids.length)]!, "w1");
          } catch {
            // Already gone.
          }
        }
      }
      for (const sql of queries) {
        for (const size of [1, 3, 7, 50, null]) {
          expect(allPages(documents, "w1", sql, size, true)).toEqual(allPages(documents, "w1", sql, size, false));
          expect(allPages(documents, "w2", sql, size, true)).toEqual(allPages(documents, "w2", sql, size, false));
        }
      }
    }
  });

  it("steps aside when a value is an array or an object, and takes over again when none is left", () => {
    const documents = collection();
    for (let i = 0; i < 6; i += 1) documents.create({ id: `h${i}`, ws: "w", name: `n${5 - i}` } as Doc);
    const query = documents._getQuery("SELECT * FROM c ORDER BY c.name");
    const order = simpleOrderOf(query.ast)!;
    const page = () => orderedPage(documents, "w", partitionMap(documents, "w"), order, { maxItemCount: 2 });
    expect(page()?.result.map((doc) => doc.name)).toEqual(["n0", "n1"]);
    documents.upsert({ id: "h2", ws: "w", name: ["n"] } as Doc);
    expect(page()).toBeNull();
    documents.upsert({ id: "h2", ws: "w", name: "n9" } as Doc);
    expect(page()?.result.map((doc) => doc.name)).toEqual(["n0", "n1"]);
  });

  it("answers the engine's way for a token that points past the end or carries no ORDER BY value", () => {
    const documents = collection();
    for (let i = 0; i < 5; i += 1) documents.create({ id: `h${i}`, ws: "w", name: `n${i}` } as Doc);
    const query = documents._getQuery("SELECT * FROM c ORDER BY c.name");
    const order = simpleOrderOf(query.ast)!;
    const [first] = allPages(documents, "w", "SELECT * FROM c ORDER BY c.name", 2, false);
    // Tokens the engine itself makes for other positions: after the last row, and without RTD.
    const tokens = [first!.continuation!.token, first!.continuation!.token.replace(/#RTD:.*$/, ""), first!.continuation!.token.replace(/RID:[^#]*/, "RID:zzzz")];
    for (const token of tokens) {
      const continuation = { token, range: { min: "", max: "FF" } };
      const viaIndex = orderedPage(documents, "w", partitionMap(documents, "w"), order, { maxItemCount: 2, continuation });
      expect(viaIndex).toEqual(query.exec(documentsInPartition(documents, "w"), { maxItemCount: 2, continuation, compositeIndexes: [] }));
    }
  });

  it.each([
    ["SELECT * FROM c ORDER BY c.name", { property: "name", desc: false }],
    ["SELECT * FROM hosts h ORDER BY h.name DESC", { property: "name", desc: true }],
    ["SELECT * FROM c ORDER BY c['display name'] ASC", { property: "display name", desc: false }],
    ["SELECT * FROM c WHERE c.kind = 'docker' ORDER BY c.name", null],
    ["SELECT TOP 5 * FROM c ORDER BY c.name", null],
    ["SELECT c.id FROM c ORDER BY c.name", null],
    ["SELECT VALUE c FROM c ORDER BY c.name", null],
    ["SELECT VALUE c FROM c JOIN t IN c.tags ORDER BY c.name", null],
    ["SELECT * FROM c ORDER BY c.a.b", null],
    ["SELECT * FROM c ORDER BY c._ts", null],
    ["SELECT * FROM c ORDER BY c.name, c.id", null],
    ["SELECT * FROM c", null],
  ])("takes %s as %j", (sql, expected) => {
    expect(simpleOrderOf(collection()._getQuery(sql).ast)).toEqual(expected);
  });
});

describe("a query run once compiled", () => {
  it.each([
    "SELECT * FROM c ORDER BY c.name",
    "SELECT * FROM c WHERE c.rank > @min ORDER BY c.name DESC",
    "SELECT c.id, c.name FROM c WHERE STARTSWITH(c.name, @prefix)",
    "SELECT VALUE COUNT(1) FROM c",
    "SELECT TOP 3 * FROM c ORDER BY c.rank",
  ])("answers %s as the engine's exec does, page after page", (sql) => {
    const documents = collection();
    for (let i = 0; i < 40; i += 1) documents.create({ id: `h${i}`, ws: "w", name: `n${(i * 7) % 13}`, rank: i % 5 } as Doc);
    const query = documents._getQuery(sql);
    const parameters = [{ name: "@min", value: 1 }, { name: "@prefix", value: "n1" }];
    let continuation: unknown = null;
    for (let round = 0; round < 20; round += 1) {
      const options = { parameters, maxItemCount: 6, continuation, compositeIndexes: [] };
      const expected = query.exec(documentsInPartition(documents, "w"), options);
      expect(executeQuery(query, documentsInPartition(documents, "w"), options)).toEqual(expected);
      continuation = expected.continuation;
      if (!continuation) break;
    }
  });
});
