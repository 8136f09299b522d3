import type { IncomingMessage, ServerResponse } from "node:http";
import { type AccountModel, getPartitionFromHeader, parsePartitionKey, readItems, readJson, type RouteParams } from "./cosmosdb-server-internals";
import { documentsInPartition } from "./query-speedups";

/**
 * A query sent with a partition key sees that partition only, as Cosmos DB does. The package's
 * own query handler ignores the header and scans every partition; that would let a query scoped
 * to one workspace return another's documents, so queries carrying the header come here.
 */
export function isPartitionScoped(req: IncomingMessage): boolean {
  return Boolean(getPartitionFromHeader(req));
}

export function partitionScopedQuery(account: AccountModel, req: IncomingMessage, res: ServerResponse, params: RouteParams): Promise<unknown> {
  return readItems(req, res, "Documents", async ({ continuation, maxItemCount }) => {
    const body = await readJson(req);
    if (typeof body.query !== "string") {
      res.statusCode = 400;
      return { message: "missing query" };
    }
    const collection = account.database(params.dbId!).collection(params.collId!);
    const definition = collection.read();
    if (!definition) return null;
    const documents = collection.documents;
    const partition = parsePartitionKey(getPartitionFromHeader(req), "");
    const data = documentsInPartition(documents, partition);
    const indexingPolicy = definition.indexingPolicy as { compositeIndexes?: unknown } | undefined;
    try {
      return documents._getQuery(body.query).exec(data, {
        parameters: body.parameters,
        udf: documents._userDefinedFunctions(),
        maxItemCount,
        continuation,
        compositeIndexes: indexingPolicy?.compositeIndexes ?? [],
      });
    } catch (error) {
      res.statusCode = 400;
      return { code: "BadRequest", message: (error as Error).message };
    }
  });
}
