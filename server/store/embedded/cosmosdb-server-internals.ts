/**
 * The parts of `@vercel/cosmosdb-server` the embedded store builds on: its account model, its
 * request router and handlers, reached by path because the package's own entry point keeps the
 * account private (and we need it to replay the journal). The version is pinned in package.json
 * for that reason. Everything here is CommonJS with `exports.default`; `unwrap` copes with both
 * the bundler's and Node's view of such a module.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import * as accountModule from "@vercel/cosmosdb-server/lib/account/index.js";
import * as routesModule from "@vercel/cosmosdb-server/lib/routes.js";
import * as partitionModule from "@vercel/cosmosdb-server/lib/utils/get-partition-from-header.js";
import * as createDatabase from "@vercel/cosmosdb-server/lib/handler/create-database.js";
import * as deleteDatabase from "@vercel/cosmosdb-server/lib/handler/delete-database.js";
import * as createCollection from "@vercel/cosmosdb-server/lib/handler/create-collection.js";
import * as deleteCollection from "@vercel/cosmosdb-server/lib/handler/delete-collection.js";
import * as createDocument from "@vercel/cosmosdb-server/lib/handler/create-document.js";
import * as upsertDocument from "@vercel/cosmosdb-server/lib/handler/upsert-document.js";
import * as replaceDocument from "@vercel/cosmosdb-server/lib/handler/replace-document.js";
import * as patchDocument from "@vercel/cosmosdb-server/lib/handler/patch-document.js";
import * as deleteDocument from "@vercel/cosmosdb-server/lib/handler/delete-document.js";
import * as queryDocuments from "@vercel/cosmosdb-server/lib/handler/query-documents.js";
import * as readItemsModule from "@vercel/cosmosdb-server/lib/handler/_read-items.js";
import * as jsonModule from "@vercel/cosmosdb-server/lib/json.js";
import * as documentOperationsModule from "@vercel/cosmosdb-server/lib/handler/_document-operations.js";
import * as batchDocuments from "@vercel/cosmosdb-server/lib/handler/batch-documents.js";

export type Doc = Record<string, unknown> & { id: string; _etag?: string; _ts?: number };

interface ItemHandle<T> {
  read(): T | undefined;
}
export interface QueryEngine {
  exec(data: Doc[], options: Record<string, unknown>): unknown;
}
export interface DocumentsModel {
  _data: Map<string, ItemHandle<Doc>>;
  _getPartition(doc: Doc): unknown;
  _getQuery(sql: string): QueryEngine;
  _userDefinedFunctions(): unknown;
  upsert(doc: Doc): Doc;
  delete(id: string, partition: unknown): void;
}
export interface CollectionModel extends ItemHandle<Record<string, unknown> & { id: string }> {
  documents: DocumentsModel;
  document(id: string, partition: unknown): ItemHandle<Doc>;
}
export interface DatabaseModel extends ItemHandle<{ id: string }> {
  collection(id: string): CollectionModel;
  collections: { _data: Map<string, CollectionModel>; create(def: unknown): unknown; delete(id: string, partition: string): void };
}
export interface AccountModel extends ItemHandle<Record<string, unknown>> {
  _data: { writableLocations: { databaseAccountEndpoint: string }[]; readableLocations: { databaseAccountEndpoint: string }[] };
  database(id: string): DatabaseModel;
  databases: { _data: Map<string, DatabaseModel>; create(def: { id: string }): unknown; delete(id: string, partition: string): void };
}

export type RouteParams = { dbId?: string; collId?: string; docId?: string };
export type RouteHandler = (account: AccountModel, req: IncomingMessage, res: ServerResponse, params: RouteParams) => unknown;

function unwrap<T>(mod: unknown): T {
  let current = mod as { default?: unknown };
  while (typeof current !== "function" && current && "default" in current) current = current.default as { default?: unknown };
  return current as T;
}

export const queryDocumentsHandler = unwrap<RouteHandler>(queryDocuments);
export const readItems = unwrap<
  (req: IncomingMessage, res: ServerResponse, itemsName: string, fn: (page: { continuation: unknown; maxItemCount: number | null }) => Promise<unknown>) => Promise<unknown>
>(readItemsModule);
/** One operation of a batch, as the SDK sends it, and what the package's single-operation helpers answer. */
export interface BatchOperationInput {
  operationType: string;
  id?: string;
  partitionKey?: string;
  ifMatch?: string;
  resourceBody?: Doc;
}
export interface OperationResult {
  statusCode: number;
  body?: Record<string, unknown>;
}
type Operation = (collection: CollectionModel, input: BatchOperationInput) => OperationResult;
const documentOperations = (
  "createOperation" in documentOperationsModule ? documentOperationsModule : (documentOperationsModule as { default: unknown }).default
) as Record<string, Operation>;
export const batchOperations: Record<string, Operation | undefined> = {
  Create: documentOperations.createOperation,
  Upsert: documentOperations.upsertOperation,
  Read: documentOperations.readOperation,
  Replace: documentOperations.replaceOperation,
  Delete: documentOperations.deleteOperation,
};
/** The package's own batch route handler: what the router hands a batch request to. */
export const batchDocumentsHandler = unwrap<RouteHandler>(batchDocuments);

export const readJson = unwrap<(req: IncomingMessage) => Promise<Record<string, unknown>>>(jsonModule);

export const Account = unwrap<new (host: string, port: number) => AccountModel>(accountModule);
export const route = unwrap<(req: IncomingMessage) => [RouteParams, RouteHandler] | undefined>(routesModule);
export const getPartitionFromHeader = unwrap<(req: IncomingMessage) => string | undefined>(partitionModule);
export const parsePartitionKey = (partitionModule as unknown as { parsePartitionKey?: (pk: string | undefined, fallback: string) => unknown })
  .parsePartitionKey ?? unwrap<{ parsePartitionKey: (pk: string | undefined, fallback: string) => unknown }>(partitionModule).parsePartitionKey;

/** The handlers whose effect the journal records, by what they change. */
export const MUTATIONS = new Map<RouteHandler, "db+" | "db-" | "coll+" | "coll-" | "put" | "del">([
  [unwrap<RouteHandler>(createDatabase), "db+"],
  [unwrap<RouteHandler>(deleteDatabase), "db-"],
  [unwrap<RouteHandler>(createCollection), "coll+"],
  [unwrap<RouteHandler>(deleteCollection), "coll-"],
  [unwrap<RouteHandler>(createDocument), "put"],
  [unwrap<RouteHandler>(upsertDocument), "put"],
  [unwrap<RouteHandler>(replaceDocument), "put"],
  [unwrap<RouteHandler>(patchDocument), "put"],
  [unwrap<RouteHandler>(deleteDocument), "del"],
]);
