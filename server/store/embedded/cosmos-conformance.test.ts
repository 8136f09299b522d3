import { setTimeout as sleep } from "node:timers/promises";
import { ChangeFeedStartFrom } from "@azure/cosmos";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestStore, type TestStore } from "../../testing/test-store";

/**
 * The embedded store against Microsoft's documented Cosmos DB behaviour, through the unchanged
 * `@azure/cosmos` client: what the platform's code may rely on because Azure does it too.
 */
let store: TestStore;
beforeAll(async () => {
  store = await openTestStore();
});
afterAll(() => store.destroy());

async function container(id: string, defaultTtl?: number) {
  const { container: created } = await store.database.containers.createIfNotExists({ id, partitionKey: { paths: ["/pk"] }, ...(defaultTtl === undefined ? {} : { defaultTtl }) });
  return created;
}

describe("time to live (https://learn.microsoft.com/azure/cosmos-db/nosql/time-to-live)", () => {
  it("never returns an expired item, to a point read or a query, even before its background delete; its id is free again", async () => {
    const items = await container("ttl-default", 1);
    await items.items.create({ id: "short", pk: "a" });
    await items.items.create({ id: "kept", pk: "a", ttl: -1 }); // an item's own -1 overrides the container's default
    // Past the expiry (last write + 1 s), well inside the 5 s background sweep.
    await sleep(2_100);

    const read = await items.item("short", "a").read();
    expect(read.statusCode).toBe(404);
    const { resources } = await items.items.query("SELECT c.id FROM c").fetchAll();
    expect(resources.map((row: { id: string }) => row.id)).toEqual(["kept"]);
    // Expired is gone: a replace of it finds nothing, and the same id can be created again.
    await expect(items.item("short", "a").replace({ id: "short", pk: "a", again: true })).rejects.toMatchObject({ code: 404 });
    await expect(items.items.create({ id: "short", pk: "a" })).resolves.toMatchObject({ statusCode: 201 });
  });

  it("applies an item's own ttl in a container whose default is -1 (never), and no ttl at all where the container has none", async () => {
    const optIn = await container("ttl-opt-in", -1);
    await optIn.items.create({ id: "brief", pk: "a", ttl: 1 });
    await optIn.items.create({ id: "forever", pk: "a" });
    const noTtl = await container("ttl-off");
    await noTtl.items.create({ id: "ignored", pk: "a", ttl: 1 });
    await sleep(2_100);

    expect((await optIn.item("brief", "a").read()).statusCode).toBe(404);
    expect((await optIn.item("forever", "a").read()).statusCode).toBe(200);
    // Without a container default, an item's ttl is ignored.
    expect((await noTtl.item("ignored", "a").read()).statusCode).toBe(200);
  });

  it("restarts an item's clock on every write", async () => {
    const items = await container("ttl-rewrite", 4);
    await items.items.create({ id: "touched", pk: "a", n: 1 });
    await sleep(2_500);
    await items.items.upsert({ id: "touched", pk: "a", n: 2 });
    await sleep(2_500);
    // 5 s after the create (past its 4 s), but 2.5 s after the last write: still there.
    expect((await items.item("touched", "a").read()).resource).toMatchObject({ n: 2 });
  });
});

describe("conditional reads (https://learn.microsoft.com/rest/api/cosmos-db/common-cosmosdb-rest-request-headers)", () => {
  it("answers If-None-Match with the current etag by 304 Not Modified, and with another etag by the item", async () => {
    const items = await container("conditional");
    const { resource: created } = await items.items.create({ id: "doc", pk: "a", n: 1 });
    const current = created!._etag;

    const unchanged = await items.item("doc", "a").read({ accessCondition: { type: "IfNoneMatch", condition: current } });
    expect(unchanged.statusCode).toBe(304);
    expect(unchanged.resource ?? null).toBeNull();

    await items.item("doc", "a").replace({ id: "doc", pk: "a", n: 2 });
    const changed = await items.item("doc", "a").read({ accessCondition: { type: "IfNoneMatch", condition: current } });
    expect(changed.statusCode).toBe(200);
    expect(changed.resource).toMatchObject({ n: 2 });
  });
});

describe("item size (https://learn.microsoft.com/azure/cosmos-db/concepts-limits)", () => {
  it("refuses an item over 2 MB with 413 and stores nothing; one just under is stored", async () => {
    const items = await container("sizes");
    await expect(items.items.create({ id: "big", pk: "a", text: "x".repeat(2 * 1024 * 1024 + 1) })).rejects.toMatchObject({ code: 413 });
    expect((await items.item("big", "a").read()).statusCode).toBe(404);
    await expect(items.items.create({ id: "fits", pk: "a", text: "x".repeat(2 * 1024 * 1024 - 200) })).resolves.toMatchObject({ statusCode: 201 });
    // A replace that would grow it past the limit is refused too, and the item stays as it was.
    await expect(items.item("fits", "a").replace({ id: "fits", pk: "a", text: "x".repeat(3 * 1024 * 1024) })).rejects.toMatchObject({ code: 413 });
    expect(((await items.item("fits", "a").read()).resource as { text: string }).text).toHaveLength(2 * 1024 * 1024 - 200);
  });
});

describe("transactional batch (https://learn.microsoft.com/azure/cosmos-db/nosql/transactional-batch)", () => {
  it("applies every operation of a batch on one partition key, in order, and answers each", async () => {
    const items = await container("batch-ok");
    await items.items.create({ id: "old", pk: "p", n: 0 });
    const response = await items.items.batch(
      [
        { operationType: "Create", resourceBody: { id: "a", pk: "p", n: 1 } },
        { operationType: "Upsert", resourceBody: { id: "b", pk: "p", n: 2 } },
        { operationType: "Replace", id: "old", resourceBody: { id: "old", pk: "p", n: 3 } },
        { operationType: "Read", id: "a" },
        { operationType: "Delete", id: "b" },
      ],
      "p",
    );
    expect(response.code).toBe(200);
    expect(response.result!.map((result) => result.statusCode)).toEqual([201, 201, 200, 200, 204]);
    expect(response.result![3]!.resourceBody).toMatchObject({ id: "a", n: 1 });
    const { resources } = await items.items.query("SELECT c.id, c.n FROM c ORDER BY c.id").fetchAll();
    expect(resources).toEqual([
      { id: "a", n: 1 },
      { id: "old", n: 3 },
    ]);
  });

  it("applies none of a batch when one operation fails: that one answers its own status, every other 424", async () => {
    const items = await container("batch-fail");
    const { resource: existing } = await items.items.create({ id: "taken", pk: "p", n: 0 });
    const response = await items.items.batch(
      [
        { operationType: "Create", resourceBody: { id: "new", pk: "p" } },
        { operationType: "Replace", id: "taken", resourceBody: { id: "taken", pk: "p", n: 1 } },
        { operationType: "Create", resourceBody: { id: "taken", pk: "p" } }, // exists: 409
        { operationType: "Create", resourceBody: { id: "after", pk: "p" } },
      ],
      "p",
    );
    expect(response.code).toBe(207);
    expect(response.result!.map((result) => result.statusCode)).toEqual([424, 424, 409, 424]);
    // Nothing of it stayed: not the create before the failure, not the replace, and the item keeps its etag.
    expect((await items.item("new", "a").read()).statusCode).toBe(404);
    expect((await items.item("new", "p").read()).statusCode).toBe(404);
    const kept = await items.item("taken", "p").read();
    expect(kept.resource).toMatchObject({ n: 0 });
    expect(kept.resource!._etag).toBe(existing!._etag);
  });

  it("answers without the written documents when asked (contentResponseOnWriteEnabled: false, Prefer: return=minimal), still with each etag", async () => {
    const items = await container("batch-minimal");
    const response = await items.items.batch(
      [
        { operationType: "Create", resourceBody: { id: "one", pk: "p", n: 1 } },
        { operationType: "Upsert", resourceBody: { id: "two", pk: "p", n: 2 } },
      ],
      "p",
      { contentResponseOnWriteEnabled: false },
    );
    expect(response.result!.map((result) => result.statusCode)).toEqual([201, 201]);
    expect(response.result!.every((result) => result.resourceBody === undefined && typeof result.eTag === "string")).toBe(true);
    const stored = await items.item("two", "p").read();
    expect(stored.resource).toMatchObject({ n: 2 });
    expect(stored.etag).toBe(response.result![1]!.eTag);
  });

  it("refuses a stale etag on an operation (412) and rolls back, and refuses more than 100 operations", async () => {
    const items = await container("batch-etag");
    await items.items.create({ id: "doc", pk: "p", n: 0 });
    const response = await items.items.batch(
      [
        { operationType: "Upsert", resourceBody: { id: "x", pk: "p" } },
        { operationType: "Replace", id: "doc", resourceBody: { id: "doc", pk: "p", n: 1 }, ifMatch: '"not-the-etag"' },
      ],
      "p",
    );
    expect(response.result!.map((result) => result.statusCode)).toEqual([424, 412]);
    expect((await items.item("x", "p").read()).statusCode).toBe(404);
    const tooMany = Array.from({ length: 101 }, (_, i) => ({ operationType: "Create" as const, resourceBody: { id: `m${i}`, pk: "p" } }));
    await expect(items.items.batch(tooMany, "p")).rejects.toThrow(/more than 100 operations/);
  });
});

describe("change feed, pull model (https://learn.microsoft.com/azure/cosmos-db/nosql/change-feed-pull-model)", () => {
  const ids = (result: { id: string }[]) => result.map((item) => item.id);

  it("gives each item's latest version in write order, from the beginning, then only what changed, then 304; deletes are not in it", async () => {
    const items = await container("feed-all");
    await items.items.create({ id: "a", pk: "p1", v: 1 });
    await items.items.create({ id: "b", pk: "p2", v: 1 });
    await items.items.create({ id: "c", pk: "p1", v: 1 });
    const feed = items.items.getChangeFeedIterator<{ id: string; v: number }>({ changeFeedStartFrom: ChangeFeedStartFrom.Beginning() });

    const first = await feed.readNext();
    expect(first.statusCode).toBe(200);
    expect(ids(first.result)).toEqual(["a", "b", "c"]);

    await items.item("a", "p1").replace({ id: "a", pk: "p1", v: 2 });
    await items.items.upsert({ id: "a", pk: "p1", v: 3 });
    await items.item("b", "p2").delete();
    const second = await feed.readNext();
    expect(second.result).toEqual([expect.objectContaining({ id: "a", v: 3 })]);

    const third = await feed.readNext();
    expect(third.statusCode).toBe(304);
    expect(third.result).toEqual([]);
  });

  it("reads one partition key's changes only", async () => {
    const items = await container("feed-partition");
    await items.items.create({ id: "x", pk: "mine" });
    await items.items.create({ id: "y", pk: "theirs" });
    await items.items.create({ id: "z", pk: "mine" });
    const feed = items.items.getChangeFeedIterator<{ id: string }>({ changeFeedStartFrom: ChangeFeedStartFrom.Beginning("mine") });
    expect(ids((await feed.readNext()).result)).toEqual(["x", "z"]);
  });

  it("starts from now, and resumes from a continuation token in another iterator", async () => {
    const items = await container("feed-now");
    await items.items.create({ id: "before", pk: "p" });
    const feed = items.items.getChangeFeedIterator<{ id: string }>({ changeFeedStartFrom: ChangeFeedStartFrom.Now() });
    const nothing = await feed.readNext();
    expect(nothing.statusCode).toBe(304);

    await items.items.create({ id: "after", pk: "p" });
    const next = await feed.readNext();
    expect(ids(next.result)).toEqual(["after"]);

    await items.items.create({ id: "later", pk: "p" });
    const resumed = items.items.getChangeFeedIterator<{ id: string }>({ changeFeedStartFrom: ChangeFeedStartFrom.Continuation(next.continuationToken) });
    expect(ids((await resumed.readNext()).result)).toEqual(["later"]);
  });

  it("pages by maxItemCount", async () => {
    const items = await container("feed-pages");
    for (const id of ["1", "2", "3"]) await items.items.create({ id, pk: "p" });
    const feed = items.items.getChangeFeedIterator<{ id: string }>({ changeFeedStartFrom: ChangeFeedStartFrom.Beginning(), maxItemCount: 2 });
    expect(ids((await feed.readNext()).result)).toEqual(["1", "2"]);
    expect(ids((await feed.readNext()).result)).toEqual(["3"]);
  });
});

describe("queries the embedded store does not run", () => {
  it("refuses OFFSET … LIMIT and SELECT DISTINCT with a 501 naming the feature, and runs a query that only mentions them in a string", async () => {
    const items = await container("query-features");
    await items.items.create({ id: "1", pk: "p", note: "OFFSET 1 LIMIT 2" });
    await expect(items.items.query("SELECT c.id FROM c ORDER BY c.id OFFSET 1 LIMIT 2").fetchAll()).rejects.toMatchObject({ code: 501, message: expect.stringContaining("OFFSET … LIMIT") });
    await expect(items.items.query("SELECT DISTINCT VALUE c.pk FROM c").fetchAll()).rejects.toMatchObject({ code: 501, message: expect.stringContaining("SELECT DISTINCT") });
    const { resources } = await items.items.query({ query: "SELECT c.id FROM c WHERE c.note = 'OFFSET 1 LIMIT 2'" }, { partitionKey: "p" }).fetchAll();
    expect(resources).toEqual([{ id: "1" }]);
  });
});

describe("replacing a container (https://learn.microsoft.com/rest/api/cosmos-db/replace-a-collection)", () => {
  const narrowed = {
    indexingMode: "consistent" as const,
    automatic: true,
    includedPaths: [{ path: "/*" }],
    excludedPaths: [{ path: "/body/*" }, { path: '/"_etag"/?' }],
  };

  it("changes a container's indexing policy after creation, keeps its items, and keeps the change across a restart", async () => {
    const restarted = await openTestStore();
    try {
      const { container: items } = await restarted.database.containers.createIfNotExists({ id: "reindexed", partitionKey: { paths: ["/pk"] } });
      await items.items.create({ id: "1", pk: "a", body: { text: "kept" } });

      const replaced = await items.replace({ id: "reindexed", partitionKey: { paths: ["/pk"] }, indexingPolicy: narrowed });
      expect(replaced.statusCode).toBe(200);
      expect(replaced.resource?.indexingPolicy?.excludedPaths).toEqual(narrowed.excludedPaths);
      expect((await items.item("1", "a").read()).resource).toMatchObject({ body: { text: "kept" } });

      await restarted.close();
      const again = await openTestStore(restarted.dataDir);
      try {
        const { resource } = await again.database.container("reindexed").read();
        expect(resource?.indexingPolicy?.excludedPaths).toEqual(narrowed.excludedPaths);
        expect((await again.database.container("reindexed").item("1", "a").read()).resource).toMatchObject({ body: { text: "kept" } });
      } finally {
        await again.close();
      }
    } finally {
      await restarted.destroy();
    }
  });

  it("refuses to change a container's id or partition key (400) and leaves it as it was; an unknown container is 404", async () => {
    const items = await container("fixed-key");
    await expect(items.replace({ id: "fixed-key", partitionKey: { paths: ["/other"] }, indexingPolicy: narrowed })).rejects.toMatchObject({ code: 400 });
    await expect(items.replace({ id: "renamed", partitionKey: { paths: ["/pk"] } })).rejects.toMatchObject({ code: 400 });
    const { resource } = await items.read();
    expect(resource?.partitionKey?.paths).toEqual(["/pk"]);
    expect(resource?.indexingPolicy?.excludedPaths ?? []).not.toContainEqual({ path: "/body/*" });

    await expect(store.database.container("never-made").replace({ id: "never-made", partitionKey: { paths: ["/pk"] } })).rejects.toMatchObject({ code: 404 });
  });

  it("replaces the whole definition: a default time to live set by a replace applies to the items already there", async () => {
    const items = await container("ttl-by-replace");
    await items.items.create({ id: "old", pk: "a" });
    await items.replace({ id: "ttl-by-replace", partitionKey: { paths: ["/pk"] }, defaultTtl: 1 });
    await sleep(2_100);
    expect((await items.item("old", "a").read()).statusCode).toBe(404);
  });
});

describe("CONTAINS, STARTSWITH and ENDSWITH with ignore case (https://learn.microsoft.com/azure/cosmos-db/nosql/query/contains)", () => {
  it("gives the documented answers of the two- and three-argument forms", async () => {
    const items = await container("string-functions");
    await items.items.create({ id: "1", pk: "p" });
    const query = `SELECT VALUE {
      containsPrefix: CONTAINS("AdventureWorks", "Adventure"),
      containsSuffix: CONTAINS("AdventureWorks", "Works"),
      containsWrongCase: CONTAINS("AdventureWorks", "adventure"),
      containsWrongCaseValidateCase: CONTAINS("AdventureWorks", "adventure", false),
      containsWrongCaseIgnoreCase: CONTAINS("AdventureWorks", "works", true),
      containsMismatch: CONTAINS("AdventureWorks", "Contoso"),
      startsIgnoreCase: STARTSWITH("AdventureWorks", "adventure", true),
      endsIgnoreCase: ENDSWITH("AdventureWorks", "WORKS", true),
      endsWrongCase: ENDSWITH("AdventureWorks", "WORKS")
    } FROM c`;
    for (const options of [{ partitionKey: "p" }, {}]) {
      const { resources } = await items.items.query(query, options).fetchAll();
      expect(resources).toEqual([
        {
          containsPrefix: true,
          containsSuffix: true,
          containsWrongCase: false,
          containsWrongCaseValidateCase: false,
          containsWrongCaseIgnoreCase: true,
          containsMismatch: false,
          startsIgnoreCase: true,
          endsIgnoreCase: true,
          endsWrongCase: false,
        },
      ]);
    }
  });

  it("filters rows by a case-insensitive substring, leaving out those whose field is null or missing", async () => {
    const items = await container("string-filter");
    await items.items.create({ id: "1", pk: "p", text: "Fix the FLAKY test" });
    await items.items.create({ id: "2", pk: "p", text: "write docs" });
    await items.items.create({ id: "3", pk: "p", text: null });
    await items.items.create({ id: "4", pk: "p" });
    const { resources } = await items.items
      .query({ query: "SELECT c.id FROM c WHERE CONTAINS(c.text, @q, true)", parameters: [{ name: "@q", value: "flaky" }] }, { partitionKey: "p" })
      .fetchAll();
    expect(resources).toEqual([{ id: "1" }]);
  });

  it("refuses a call with too few or too many arguments as a bad query (400), as Azure does", async () => {
    const items = await container("string-argument-count");
    await items.items.create({ id: "1", pk: "p" });
    for (const call of ['CONTAINS("a")', 'STARTSWITH("a", "a", true, true)', "ENDSWITH()"]) {
      await expect(items.items.query(`SELECT VALUE ${call} FROM c`, { partitionKey: "p" }).fetchAll()).rejects.toMatchObject({ code: 400 });
    }
  });
});
