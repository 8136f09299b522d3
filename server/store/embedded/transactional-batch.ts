import type { IncomingMessage } from "node:http";
import {
  type AccountModel,
  type BatchOperationInput,
  batchOperations,
  type Doc,
  getPartitionFromHeader,
  type OperationResult,
  parsePartitionKey,
  readJson,
  type RouteParams,
} from "./cosmosdb-server-internals";
import type { JournalEntry, JournalItemChange } from "./journal";

/** At most this many operations in one batch, as Cosmos DB allows. */
export const MAX_BATCH_OPERATIONS = 100;

export interface BatchOutcome {
  status: number;
  body: unknown;
  /** What to journal, as one record: every change of a batch that succeeded; nothing otherwise. */
  journal: JournalEntry | undefined;
}

interface Undo {
  id: string;
  /** The item as it was before the operation, or undefined when the operation made it. */
  before: Doc | undefined;
}

/**
 * A transactional batch (https://learn.microsoft.com/azure/cosmos-db/nosql/transactional-batch):
 * up to 100 operations on one partition key, applied in order, all or nothing. When one fails,
 * every change before it is undone; the answer is 207 Multi-Status with the failing operation's
 * own status and 424 (failed dependency) for every other. A batch that succeeded is journalled
 * as one record, so a crash leaves all of it or none.
 */
export async function runTransactionalBatch(account: AccountModel, req: IncomingMessage, params: RouteParams): Promise<BatchOutcome> {
  const collection = account.database(params.dbId!).collection(params.collId!);
  if (!collection.read()) return refusal(404, "NotFound", "Resource Not Found");
  const operations = (await readJson(req)) as unknown;
  if (!Array.isArray(operations) || operations.length === 0) return refusal(400, "BadRequest", "A batch is a non-empty array of operations.");
  if (operations.length > MAX_BATCH_OPERATIONS) return refusal(400, "BadRequest", `A batch holds at most ${MAX_BATCH_OPERATIONS} operations.`);
  const headerKey = getPartitionFromHeader(req);
  const partition = parsePartitionKey(headerKey, "");
  for (const operation of operations as BatchOperationInput[]) {
    if (!operation || typeof operation !== "object" || !batchOperations[operation.operationType]) {
      return refusal(400, "BadRequest", `Operation type '${String(operation?.operationType)}' is not supported in a batch by the embedded store.`);
    }
    // Every operation acts on the batch's partition key.
    operation.partitionKey = headerKey;
    if (operation.resourceBody && JSON.stringify(collection.documents._getPartition(operation.resourceBody)) !== JSON.stringify(partition)) {
      return refusal(400, "BadRequest", "Every operation of a batch must be on the batch's partition key.");
    }
  }

  const undo: Undo[] = [];
  const results: OperationResult[] = [];
  let failedAt = -1;
  for (const [index, operation] of (operations as BatchOperationInput[]).entries()) {
    const id = operation.resourceBody?.id ?? operation.id ?? "";
    const before = operation.operationType === "Read" ? undefined : collection.document(id, partition).read();
    const result = batchOperations[operation.operationType]!(collection, operation);
    results.push(result);
    if (result.statusCode >= 400) {
      failedAt = index;
      break;
    }
    if (operation.operationType !== "Read") undo.push({ id, before: before ? { ...before } : undefined });
  }

  if (failedAt >= 0) {
    // Newest first, so an item touched twice ends as it was before the batch.
    for (const { id, before } of undo.reverse()) restore(account, params, id, partition, before);
    const failed = results[failedAt]!;
    return {
      status: 207,
      body: operations.map((_, index) =>
        index === failedAt ? { statusCode: failed.statusCode, requestCharge: 0, resourceBody: failed.body } : { statusCode: 424, requestCharge: 0 },
      ),
      journal: undefined,
    };
  }

  const changes: JournalItemChange[] = [];
  for (const [index, operation] of (operations as BatchOperationInput[]).entries()) {
    const result = results[index]!;
    if (operation.operationType === "Read") continue;
    if (operation.operationType === "Delete") changes.push({ op: "del", db: params.dbId!, coll: params.collId!, id: operation.id!, pk: partition });
    else if (result.body) changes.push({ op: "put", db: params.dbId!, coll: params.collId!, doc: result.body });
  }
  // `Prefer: return=minimal` (the SDK's contentResponseOnWriteEnabled: false): statuses and etags, no documents.
  const minimal = req.headers.prefer === "return=minimal";
  return {
    status: 200,
    body: results.map((result, index) => ({
      statusCode: result.statusCode,
      requestCharge: 1,
      eTag: result.body?._etag,
      ...(minimal && (operations as BatchOperationInput[])[index]!.operationType !== "Read" ? {} : { resourceBody: result.body }),
    })),
    journal: changes.length > 0 ? { op: "batch", entries: changes } : undefined,
  };
}

/** Puts an item back as it was before the batch: its content, etag and timestamp; or removes one the batch made. */
function restore(account: AccountModel, params: RouteParams, id: string, partition: unknown, before: Doc | undefined): void {
  const documents = account.database(params.dbId!).collection(params.collId!).documents;
  try {
    documents.delete(id, partition);
  } catch {
    // Not there (a delete the batch made): nothing to remove before putting it back.
  }
  if (!before) return;
  const { _rid, _self, _etag, _ts, _attachments, ...content } = before as Doc & Record<string, unknown>;
  const stored = documents.upsert(content as Doc);
  stored._etag = _etag;
  stored._ts = _ts;
}

function refusal(status: number, code: string, message: string): BatchOutcome {
  return { status, body: { code, message }, journal: undefined };
}
