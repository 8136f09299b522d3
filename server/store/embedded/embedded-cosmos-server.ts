import { randomBytes, randomUUID } from "node:crypto";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import {
  Account,
  type AccountModel,
  type Doc,
  getPartitionFromHeader,
  batchDocumentsHandler,
  MUTATIONS,
  parsePartitionKey,
  queryDocumentsHandler,
  route,
  type RouteParams,
} from "./cosmosdb-server-internals";
import { log } from "../../log";
import { acquireDataDirLock } from "./data-dir-lock";
import { Journal, type JournalCollection, type JournalEntry, type JournalItemChange } from "./journal";
import { isSignedWith } from "./master-key-auth";
import { isPartitionScoped, partitionScopedQuery } from "./partition-scoped-query";
import { installQuerySpeedups } from "./query-speedups";
import { installStringFunctions } from "./string-functions";
import { inspectQuery } from "./query-features";
import { isChangeFeedRead, readChangeFeed, stampWrite } from "./change-feed";
import { applyCollectionChange, replaceCollection, replaceCollectionTarget } from "./replace-collection";
import { runTransactionalBatch } from "./transactional-batch";
import { forgetContainer, noteWritten, sweepCollectionIfDue, sweepExpired } from "./ttl-sweeper";

const TTL_SWEEP_INTERVAL_MS = 5_000;
const MAX_ITEM_BYTES = 2 * 1024 * 1024;

/**
 * The store the platform uses when no Cosmos DB account is configured: a server in this process
 * that speaks the Cosmos DB REST protocol (through `@vercel/cosmosdb-server`'s model and
 * handlers), listens on loopback only, checks the client's master-key signature, and keeps its
 * data durable in `<dataDir>/cosmos/journal.jsonl`. The platform reaches it with the ordinary
 * `@azure/cosmos` client, so the store code is the same as against Azure.
 */
export interface EmbeddedCosmos {
  endpoint: string;
  /** The master key the client signs with: the one given, or a random one for this run. */
  key: string;
  stop(): Promise<void>;
}

const NOT_SUPPORTED = "This operation is not supported by the embedded store; the platform does not use it.";

export interface EmbeddedCosmosOptions {
  dataDir: string;
  /** 0 (the default): any free port. */
  port?: number;
  /** The master key, base64 of 32 bytes or more (the store as its own process keeps one across restarts). */
  key?: string;
}

export async function startEmbeddedCosmos(options: EmbeddedCosmosOptions): Promise<EmbeddedCosmos> {
  const keyBytes = options.key === undefined ? randomBytes(32) : Buffer.from(options.key, "base64");
  if (keyBytes.length < 32) throw new Error("The embedded store's key must be base64 of at least 32 bytes.");
  installQuerySpeedups();
  installStringFunctions();
  const dir = path.join(options.dataDir, "cosmos");
  let failure: Error | undefined;
  const releaseLock = acquireDataDirLock(dir, {
    onLost: () => {
      // Another process holds the folder now: acknowledging more writes would interleave two journals.
      failure = new Error("another process took this DATA_DIR's lock");
      log.error("store.data_dir_lock_lost", { dir });
    },
  });
  try {
    // A long replay holds the thread: the lock is touched as it goes, so it never looks abandoned.
    const { journal, entries, torn } = Journal.open(dir, releaseLock.touch);
    if (torn) {
      // Never acknowledged (a write is answered only once its record is whole), so nothing a client was told is lost.
      log.warn("store.journal_torn_record_dropped", { file: path.join(dir, "journal.jsonl"), line: torn.line, bytes: torn.bytes, recordsKept: entries.length });
    }
    let account: AccountModel | undefined;

    const server = http.createServer((req, res) => {
      handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) send(res, 500, { code: "InternalServerError", message: "Embedded store error" });
        else res.destroy();
        // The in-memory model may hold a change the journal lacks: refuse everything from now on
        // rather than acknowledge writes that would vanish at the next start.
        if (error instanceof JournalWriteError) failure = error;
      });
    });
    server.keepAliveTimeout = 30_000;

    async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
      if (failure) return send(res, 503, { code: "ServiceUnavailable", message: `Embedded store stopped accepting requests: ${failure.message}` });
      if (!isSignedWith(keyBytes, req)) {
        return send(res, 401, { code: "Unauthorized", message: "The input authorization token can't serve the request." });
      }
      // The SDK asks for a query plan beside every query and uses it only when the query itself
      // fails as needing one, which never happens here; answering at once spares running the
      // query a second time across every partition.
      if (req.headers["x-ms-cosmos-is-query-plan-request"]) {
        return send(res, 400, { code: "BadRequest", message: "The embedded store runs queries directly and serves no query plans." });
      }
      const replaceTarget = replaceCollectionTarget(req);
      if (replaceTarget && account) {
        const outcome = await replaceCollection(account, req, replaceTarget);
        if (outcome.journal) {
          appendToJournal([outcome.journal]);
          forgetContainer(account, replaceTarget.dbId, replaceTarget.collId);
        }
        return send(res, outcome.status, outcome.body);
      }
      const matched = route(req);
      if (!matched || !account) return send(res, 400, { code: "BadRequest", message: "no route" });
      const [params, handler] = matched;
      const batch = handler === batchDocumentsHandler;
      const mutation = MUTATIONS.get(handler);
      if (!mutation && !batch && req.method !== "GET" && !isQuery(req)) return send(res, 501, { code: "NotImplemented", message: NOT_SUPPORTED });

      // An expired document is gone for every request, read or write, as on Azure.
      if (params.dbId && params.collId) appendToJournal(sweepCollectionIfDue(account, params.dbId, params.collId, Math.floor(Date.now() / 1000)));

      // An item (and a batch) is at most 2 MB (https://learn.microsoft.com/azure/cosmos-db/concepts-limits):
      // a write whose body is larger is refused before anything is applied, as Azure refuses it.
      if ((mutation === "put" || batch) && Number(req.headers["content-length"] ?? 0) > MAX_ITEM_BYTES) {
        return send(res, 413, { code: "RequestEntityTooLarge", message: `Request size is too large: an item or a batch is at most ${MAX_ITEM_BYTES} bytes.` });
      }

      if (batch) {
        if (String(req.headers["x-ms-cosmos-batch-atomic"]).toLowerCase() !== "true") {
          return send(res, 501, { code: "NotImplemented", message: "Bulk (non-atomic batch) is not supported by the embedded store; use a transactional batch." });
        }
        const outcome = await runTransactionalBatch(account, req, params);
        if (outcome.journal?.op === "batch") recordWrites(outcome.journal.entries, outcome.journal);
        return send(res, outcome.status, outcome.body);
      }

      if (isChangeFeedRead(req, params)) {
        const feed = readChangeFeed(account, req, params);
        if (feed.etag) res.setHeader("etag", feed.etag);
        return send(res, feed.status, feed.body);
      }

      let request = req;
      if (handler === queryDocumentsHandler) {
        const inspected = await inspectQuery(req);
        if (inspected.unsupported) return send(res, 501, { code: "NotImplemented", message: `The embedded store does not support ${inspected.unsupported} in queries.` });
        request = inspected.request;
      }
      const run = handler === queryDocumentsHandler && isPartitionScoped(req) ? partitionScopedQuery : handler;
      const body = (await run(account, request, res, params)) as Record<string, unknown> | undefined;
      if (mutation && res.statusCode < 300) {
        const entry = entryFor(mutation, params, req, body);
        recordWrites(entry.op === "put" || entry.op === "del" ? [entry] : [], entry);
        if (mutation === "coll+" || mutation === "coll-") forgetContainer(account, params.dbId!, String(body?.id ?? params.collId));
      }
      // A read with If-None-Match naming the current etag: 304 Not Modified, no body.
      const ifNoneMatch = req.headers["if-none-match"];
      if (req.method === "GET" && params.docId && res.statusCode === 200 && typeof ifNoneMatch === "string" && ifNoneMatch === body?._etag) {
        return send(res, 304, { _etag: body._etag });
      }
      send(res, res.statusCode, body ?? {});
    }

    /**
     * What every acknowledged write does, one item or a batch alike: stamp the items written with
     * their change-feed LSN, journal the record (stamps included), then tell the expiry sweeper.
     */
    function recordWrites(changes: JournalItemChange[], record: JournalEntry): void {
      for (const change of changes) if (change.op === "put") stampWrite(account!, change.db, change.coll, change.doc as Doc);
      appendToJournal([record]);
      for (const change of changes) if (change.op === "put") noteWritten(account!, change.db, change.coll, change.doc as Doc);
    }

    function appendToJournal(entries: JournalEntry[]): void {
      if (entries.length === 0) return;
      try {
        journal.append(entries);
        if (journal.needsCompaction) journal.rewrite(snapshot(account!));
      } catch (error) {
        throw new JournalWriteError(error);
      }
    }

    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    const endpoint = `http://127.0.0.1:${port}`;
    account = new Account("127.0.0.1", port);
    // The model advertises https locations; the client follows them, so point them here.
    for (const location of [...account._data.writableLocations, ...account._data.readableLocations]) {
      location.databaseAccountEndpoint = `${endpoint}/`;
    }
    for (const entry of entries) replay(account, entry);
    journal.rewrite(snapshot(account));

    const sweeper = setInterval(() => {
      if (!account || failure) return;
      try {
        journal.append(sweepExpired(account, Math.floor(Date.now() / 1000)));
      } catch (error) {
        failure = new JournalWriteError(error);
      }
    }, TTL_SWEEP_INTERVAL_MS);
    sweeper.unref();

    let stopped = false;
    // Next.js ends the process with process.exit() on SIGTERM/SIGINT; flush and unlock then too.
    const closeFiles = () => {
      if (stopped) return;
      stopped = true;
      clearInterval(sweeper);
      journal.close();
      releaseLock();
    };
    process.once("exit", closeFiles);

    return {
      endpoint,
      key: keyBytes.toString("base64"),
      async stop() {
        if (stopped) return;
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        process.off("exit", closeFiles);
        closeFiles();
      },
    };
  } catch (error) {
    releaseLock();
    throw error;
  }
}

class JournalWriteError extends Error {
  constructor(cause: unknown) {
    super(`could not write the journal (${(cause as Error).message})`, { cause });
  }
}

function isQuery(req: IncomingMessage): boolean {
  return req.method === "POST" && (req.headers["x-ms-documentdb-isquery"] === "true" || req.headers["content-type"] === "application/query+json");
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  const etag = (body as { _etag?: unknown } | undefined)?._etag;
  if (typeof etag === "string") res.setHeader("etag", etag);
  res.setHeader("content-type", "application/json");
  res.setHeader("x-ms-activity-id", randomUUID());
  res.setHeader("x-ms-request-charge", "1");
  res.end(status === 204 || status === 304 ? undefined : JSON.stringify(body));
}

function collectionDefinition(body: Record<string, unknown>): JournalCollection {
  const { id, partitionKey, uniqueKeyPolicy, indexingPolicy, defaultTtl } = body as unknown as JournalCollection;
  return { id, partitionKey, uniqueKeyPolicy, indexingPolicy, defaultTtl };
}

function entryFor(kind: string, params: RouteParams, req: IncomingMessage, body: Record<string, unknown> | undefined): JournalEntry {
  const db = params.dbId!;
  switch (kind) {
    case "db+":
      return { op: "db+", db: String(body!.id) };
    case "db-":
      return { op: "db-", db };
    case "coll+":
      return { op: "coll+", db, coll: collectionDefinition(body!) };
    case "coll-":
      return { op: "coll-", db, coll: params.collId! };
    case "put":
      return { op: "put", db, coll: params.collId!, doc: body! };
    default:
      return { op: "del", db, coll: params.collId!, id: params.docId!, pk: parsePartitionKey(getPartitionFromHeader(req), params.docId!) };
  }
}

function replay(account: AccountModel, entry: JournalEntry): void {
  switch (entry.op) {
    case "db+":
      if (!account.database(entry.db).read()) account.databases.create({ id: entry.db });
      return;
    case "db-":
      if (account.database(entry.db).read()) account.databases.delete(entry.db, entry.db);
      return;
    case "coll+":
      if (!account.database(entry.db).collection(entry.coll.id).read()) account.database(entry.db).collections.create(entry.coll);
      return;
    case "coll~":
      applyCollectionChange(account, entry.db, entry.coll);
      return;
    case "coll-":
      if (account.database(entry.db).collection(entry.coll).read()) account.database(entry.db).collections.delete(entry.coll, entry.coll);
      return;
    case "put": {
      const { _rid, _self, _etag, _ts, _attachments, ...doc } = entry.doc as Doc & Record<string, unknown>;
      const stored = account.database(entry.db).collection(entry.coll).documents.upsert(doc as Doc);
      // Keep the etag a client may still hold, so a save after a restart is not a false conflict.
      stored._etag = _etag;
      stored._ts = _ts;
      return;
    }
    case "del":
      try {
        account.database(entry.db).collection(entry.coll).documents.delete(entry.id, entry.pk);
      } catch {
        // Already gone: deleting twice is the same as deleting once.
      }
      return;
    case "batch":
      for (const change of entry.entries) replay(account, change);
      return;
  }
}

function* snapshot(account: AccountModel): Generator<JournalEntry> {
  for (const database of account.databases._data.values()) {
    const db = database.read();
    if (!db) continue;
    yield { op: "db+", db: db.id };
    for (const collection of database.collections._data.values()) {
      const coll = collection.read();
      if (!coll) continue;
      yield { op: "coll+", db: db.id, coll: collectionDefinition(coll) };
      for (const item of collection.documents._data.values()) {
        const doc = item.read();
        if (doc) yield { op: "put", db: db.id, coll: coll.id, doc };
      }
    }
  }
}
