import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { ChangeFeedStartFrom, CosmosClient } from "@azure/cosmos";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { AppError } from "../../errors";
import { openTestStore } from "../../testing/test-store";
import { DocumentCollection } from "../documents";
import { openStore, type Store } from "../store";
import { startEmbeddedCosmos } from "./embedded-cosmos-server";
import { Journal } from "./journal";

const ZNote = z.object({ id: z.string(), ws: z.string(), title: z.string(), slug: z.string() });
const NOTES = { id: "notes", partitionKey: "/ws", uniqueKeys: [["/slug"]] } as const;
const messages = { exists: "A note with this slug exists.", changed: "This note was changed by someone else." };

const open: { destroy(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((store) => store.destroy()));
});

async function testStore() {
  const store = await openTestStore();
  open.push(store);
  return store;
}

describe("embedded Cosmos-protocol store", () => {
  it("creates a container the first time it is used, with its partition key and unique keys", async () => {
    const store = await testStore();
    const before = await store.database.containers.readAll().fetchAll();
    expect(before.resources.map((c) => c.id)).not.toContain("notes");

    const notes = new DocumentCollection(store, NOTES, ZNote, messages);
    await notes.create({ id: "n1", ws: "a", title: "First", slug: "first" });

    const { resource } = await store.database.container("notes").read();
    expect(resource?.partitionKey?.paths).toEqual(["/ws"]);
    expect(resource?.uniqueKeyPolicy?.uniqueKeys[0]?.paths).toEqual(["/slug"]);
  });

  it("answers a document grown past the 2 MB item limit with a typed refusal and keeps the last version", async () => {
    const store = await testStore();
    const notes = new DocumentCollection(store, NOTES, ZNote, messages);
    const created = await notes.create({ id: "n1", ws: "a", title: "Small", slug: "small" });
    const { etag, ...doc } = created;
    await expect(notes.replace({ ...doc, title: "x".repeat(3 * 1024 * 1024) }, etag, "a")).rejects.toMatchObject({ code: "PRECONDITION_FAILED", options: { reason: "too_large" } });
    expect((await notes.read("n1", "a"))?.title).toBe("Small");
  });

  it("refuses a replace with a stale etag and keeps the newer write", async () => {
    const store = await testStore();
    const notes = new DocumentCollection(store, NOTES, ZNote, messages);
    const created = await notes.create({ id: "n1", ws: "a", title: "First", slug: "first" });
    const { etag, ...doc } = created;

    await notes.replace({ ...doc, title: "Alice's edit" }, etag, "a");
    const bob = notes.replace({ ...doc, title: "Bob's edit" }, etag, "a");

    await expect(bob).rejects.toMatchObject({ code: "CONFLICT", message: messages.changed });
    expect((await notes.read("n1", "a"))?.title).toBe("Alice's edit");
  });

  it("holds unique keys within a partition, not across partitions", async () => {
    const store = await testStore();
    const notes = new DocumentCollection(store, NOTES, ZNote, messages);
    await notes.create({ id: "n1", ws: "a", title: "One", slug: "same" });
    await expect(notes.create({ id: "n2", ws: "a", title: "Two", slug: "same" })).rejects.toBeInstanceOf(AppError);
    await expect(notes.create({ id: "n3", ws: "b", title: "Three", slug: "same" })).resolves.toMatchObject({ id: "n3" });
  });

  it("scopes a query sent with a partition key to that partition, paging included", async () => {
    const store = await testStore();
    const notes = new DocumentCollection(store, NOTES, ZNote, messages);
    for (let i = 0; i < 5; i += 1) {
      await notes.create({ id: `a${i}`, ws: "a", title: `A${i}`, slug: `a${i}` });
      await notes.create({ id: `b${i}`, ws: "b", title: `B${i}`, slug: `b${i}` });
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await notes.query("SELECT * FROM c ORDER BY c.id DESC", [], { partitionKey: "a", limit: 2, cursor });
      seen.push(...page.items.map((n) => n.id));
      cursor = page.cursor;
    } while (cursor);
    expect(seen).toEqual(["a4", "a3", "a2", "a1", "a0"]);
    const everywhere = await notes.queryAll("SELECT * FROM c WHERE STARTSWITH(c.title, @t)", [{ name: "@t", value: "B" }]);
    expect(everywhere).toHaveLength(5);
  });

  it("keeps documents, deletes and etags across a stop and start", async () => {
    const first = await openTestStore();
    const notes = new DocumentCollection(first, NOTES, ZNote, messages);
    const kept = await notes.create({ id: "kept", ws: "a", title: "Kept", slug: "kept" });
    await notes.create({ id: "gone", ws: "a", title: "Gone", slug: "gone" });
    await notes.delete("gone", "a");
    await first.close();

    const second = await openStore({ store: { mode: "embedded", database: "test" }, dataDir: first.dataDir });
    open.push({ destroy: () => second.close().then(() => fs.rmSync(first.dataDir, { recursive: true, force: true })) });
    const again = new DocumentCollection(second, NOTES, ZNote, messages);
    const read = await again.read("kept", "a");
    expect(read).toMatchObject({ title: "Kept", etag: kept.etag });
    expect(await again.read("gone", "a")).toBeUndefined();
    // The unique key index is rebuilt too.
    await expect(again.create({ id: "dup", ws: "a", title: "Dup", slug: "kept" })).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("drops a record a crash cut short at the end of the journal, saying so, and keeps everything before it", async () => {
    const first = await openTestStore();
    const notes = new DocumentCollection(first, NOTES, ZNote, messages);
    await notes.create({ id: "whole", ws: "a", title: "Whole", slug: "whole" });
    await first.close();
    const file = path.join(first.dataDir, "cosmos", "journal.jsonl");
    const half = '{"op":"put","db":"test","coll":"notes","doc":{"id":"half","ws":"a","ti';
    fs.appendFileSync(file, half);

    const { torn, entries, journal } = Journal.open(path.join(first.dataDir, "cosmos"));
    journal.close();
    expect(torn).toEqual({ line: entries.length + 1, bytes: Buffer.byteLength(half) });
    const second = await openStore({ store: { mode: "embedded", database: "test" }, dataDir: first.dataDir });
    open.push({ destroy: () => second.close().then(() => fs.rmSync(first.dataDir, { recursive: true, force: true })) });
    const again = new DocumentCollection(second, NOTES, ZNote, messages);
    expect(await again.read("whole", "a")).toMatchObject({ title: "Whole" });
    expect(await again.read("half", "a")).toBeUndefined();
    // The torn record is gone from the file too: the journal was rewritten at start.
    expect(fs.readFileSync(file, "utf8").endsWith("\n")).toBe(true);
  });

  it("journals a transactional batch as one record: it survives a restart whole, and a crash mid-record leaves none of it", async () => {
    const first = await openTestStore();
    const { container: items } = await first.database.containers.createIfNotExists({ id: "batched", partitionKey: { paths: ["/pk"] } });
    await items.items.batch(
      [
        { operationType: "Create", resourceBody: { id: "one", pk: "p" } },
        { operationType: "Create", resourceBody: { id: "two", pk: "p" } },
      ],
      "p",
    );
    await first.close();
    const file = path.join(first.dataDir, "cosmos", "journal.jsonl");
    const whole = fs.readFileSync(file, "utf8");
    const batchLine = whole.trimEnd().split("\n").find((line) => line.startsWith('{"op":"batch"'));
    expect(batchLine).toBeDefined();

    // Restarted: both there. Then the same journal with the batch record cut in half, as a crash mid-write leaves it: neither.
    const second = await openStore({ store: { mode: "embedded", database: "test" }, dataDir: first.dataDir });
    expect((await second.database.container("batched").item("two", "p").read()).statusCode).toBe(200);
    await second.close();
    const withoutBatch = whole.replace(`${batchLine}\n`, "");
    fs.writeFileSync(file, `${withoutBatch}${batchLine!.slice(0, Math.floor(batchLine!.length / 2))}`);
    const third = await openStore({ store: { mode: "embedded", database: "test" }, dataDir: first.dataDir });
    open.push({ destroy: () => third.close().then(() => fs.rmSync(first.dataDir, { recursive: true, force: true })) });
    expect((await third.database.container("batched").item("one", "p").read()).statusCode).toBe(404);
    expect((await third.database.container("batched").item("two", "p").read()).statusCode).toBe(404);
  });

  it("keeps the change feed's place across a restart: a continuation taken before resumes after it", async () => {
    const first = await openTestStore();
    const { container: items } = await first.database.containers.createIfNotExists({ id: "fed", partitionKey: { paths: ["/pk"] } });
    await items.items.create({ id: "before", pk: "p" });
    const read = await items.items.getChangeFeedIterator({ changeFeedStartFrom: ChangeFeedStartFrom.Beginning() }).readNext();
    await first.close();

    const second = await openStore({ store: { mode: "embedded", database: "test" }, dataDir: first.dataDir });
    open.push({ destroy: () => second.close().then(() => fs.rmSync(first.dataDir, { recursive: true, force: true })) });
    const again = second.database.container("fed");
    await again.items.create({ id: "after", pk: "p" });
    const resumed = await again.items.getChangeFeedIterator<{ id: string }>({ changeFeedStartFrom: ChangeFeedStartFrom.Continuation(read.continuationToken) }).readNext();
    expect(resumed.result.map((item) => item.id)).toEqual(["after"]);
  });

  it("refuses to start on a journal with a corrupt record before its end", async () => {
    const first = await openTestStore();
    const notes = new DocumentCollection(first, NOTES, ZNote, messages);
    await notes.create({ id: "one", ws: "a", title: "One", slug: "one" });
    await first.close();
    const file = path.join(first.dataDir, "cosmos", "journal.jsonl");
    const lines = fs.readFileSync(file, "utf8").split("\n");
    lines.splice(1, 0, "{not json");
    fs.writeFileSync(file, lines.join("\n"));
    open.push({ destroy: async () => fs.rmSync(first.dataDir, { recursive: true, force: true }) });
    await expect(openStore({ store: { mode: "embedded", database: "test" }, dataDir: first.dataDir })).rejects.toThrow(/is corrupt at line 2/);
  });

  it("loses no acknowledged write when the process is killed with SIGKILL", async () => {
    const store = await testStore();
    const dataDir = store.dataDir;
    await store.close();

    const writer = spawn(process.execPath, ["--import", "tsx", path.join(__dirname, "durability-writer.fixture.ts"), dataDir], {
      cwd: path.resolve(__dirname, "../../.."),
      stdio: ["ignore", "pipe", "inherit"],
    });
    const acknowledged: string[] = [];
    await new Promise<void>((resolve, reject) => {
      let buffer = "";
      writer.stdout.on("data", (chunk: Buffer) => {
        buffer += chunk.toString();
        const lines = buffer.split("\n");
        buffer = lines.pop() ?? "";
        for (const line of lines) if (line.startsWith("ack ")) acknowledged.push(line.slice(4));
        if (acknowledged.length >= 200) {
          writer.kill("SIGKILL");
          resolve();
        }
      });
      writer.on("exit", (code, signal) => (signal === "SIGKILL" ? resolve() : reject(new Error(`writer exited early: ${code}`))));
    });
    await new Promise((resolve) => writer.once("close", resolve));

    const reopened = await openStore({ store: { mode: "embedded", database: "test" }, dataDir });
    try {
      const container = reopened.database.container("durability");
      const { resources } = await container.items.query<{ id: string }>("SELECT c.id FROM c").fetchAll();
      const stored = new Set(resources.map((r) => r.id));
      expect(acknowledged.length).toBeGreaterThanOrEqual(200);
      expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
    } finally {
      await reopened.close();
    }
  });

  it("deletes documents whose time to live has passed and keeps those that opt out", async () => {
    const store = await openTestStore();
    open.push(store);
    const definition = { id: "expiring", partitionKey: "/id", uniqueKeys: [], defaultTtl: 1 } as const;
    const container = await store.container(definition);
    await container.items.create({ id: "short" });
    await container.items.create({ id: "forever", ttl: -1 });
    await expect
      .poll(async () => (await container.item("short", "short").read()).statusCode, { timeout: 15_000, interval: 500 })
      .toBe(404);
    expect((await container.item("forever", "forever").read()).statusCode).toBe(200);
  });

  it("refuses a client that does not hold this run's key", async () => {
    const store = await testStore();
    const endpoint = (store.database.client as unknown as { clientContext: { cosmosClientOptions: { endpoint: string } } }).clientContext
      .cosmosClientOptions.endpoint;
    const intruder = new CosmosClient({ endpoint, key: Buffer.from("not the key").toString("base64") });
    await expect(intruder.database("test").read()).rejects.toMatchObject({ code: 401 });
    intruder.dispose();
  });

  it("refuses a second store on a data folder that is in use", async () => {
    const store: Store & { dataDir: string } = await testStore();
    await expect(startEmbeddedCosmos({ dataDir: store.dataDir })).rejects.toThrow(/in use by another Disco Parrot store/);
  });
});
