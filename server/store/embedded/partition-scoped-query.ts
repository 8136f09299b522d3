import type { IncomingMessage, ServerResponse } from "node:http";
import { type AccountModel, getPartitionFromHeader, parsePartitionKey, readItems, readJson, type RouteParams } from "./cosmosdb-server-internals";
import { orderedPage, simpleOrderOf } from "./order-index";
import { type ExecOptions, executeQuery, type ParsedQuery } from "./query-executor";
import { documentsInPartition, partitionMap } from "./query-speedups";

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
    const indexingPolicy = definition.indexingPolicy as { compositeIndexes?: unknown } | undefined;
    try {
      const query = documents._getQuery(body.query) as unknown as ParsedQuery & { ast: unknown };
      const order = simpleOrderOf(query.ast);
      const page = order && orderedPage(documents, partition, partitionMap(documents, partition), order, { maxItemCount, continuation });
      if (page) return page;
      return executeQuery(query, documentsInPartition(documents, partition), {
        parameters: body.parameters as ExecOptions["parameters"],
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
