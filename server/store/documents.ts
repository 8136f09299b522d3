import { ErrorResponse, type OperationInput, type OperationResponse, type PatchRequestBody, type SqlParameter } from "@azure/cosmos";
import type { z } from "zod";
import type { ContainerDefinition } from "@/prisma-free-schema";
import { AppError } from "../errors";
import type { Store } from "./store";

/**
 * Typed access to one container: every document read is parsed with its zod schema, every
 * replace carries the etag it was read with, and the store's status codes become AppErrors
 * (409 → already exists, 412 → changed by someone else). The per-type stores build on this.
 */
export type WithEtag<T> = T & { etag: string };

/** How often `update` reads again after losing a race before it gives up. */
const UPDATE_ATTEMPTS = 5;

export interface Page<T> {
  items: T[];
  /** Pass back to get the next page; absent on the last page. */
  cursor: string | undefined;
}

export interface DocumentMessages {
  /** Shown when a create hits an existing id or unique key. */
  exists: string;
  /** Shown when a replace's etag no longer matches. */
  changed: string;
  /** The input field a unique-key clash is about, so a form can show it there. */
  existsField?: string;
}

function statusOf(error: unknown): number | undefined {
  if (error instanceof ErrorResponse) return typeof error.code === "number" ? error.code : Number(error.code);
  return undefined;
}

export class DocumentCollection<S extends z.ZodType<{ id: string }>> {
  constructor(
    private readonly store: Store,
    private readonly definition: ContainerDefinition,
    private readonly schema: S,
    private readonly messages: DocumentMessages,
  ) {}

  private container() {
    return this.store.container(this.definition);
  }

  private parse(resource: unknown): WithEtag<z.output<S>> {
    const etag = (resource as { _etag?: string })._etag ?? "";
    return { ...this.schema.parse(resource), etag };
  }

  private translate(error: unknown): never {
    const status = statusOf(error);
    if (status === 409) throw new AppError("CONFLICT", this.messages.exists, { cause: error, field: this.messages.existsField });
    if (status === 412) throw new AppError("CONFLICT", this.messages.changed, { cause: error });
    if (status === 404) throw new AppError("NOT_FOUND", "That was not found.", { cause: error });
    // Cosmos DB keeps at most 2 MB in one item; nothing is written.
    if (status === 413) {
      throw new AppError("PRECONDITION_FAILED", "This would grow past the 2 MB the store keeps in one record, so it was not saved.", {
        cause: error,
        reason: "too_large",
      });
    }
    throw error;
  }

  async create(doc: z.input<S>): Promise<WithEtag<z.output<S>>> {
    const valid = this.schema.parse(doc);
    try {
      const { resource } = await (await this.container()).items.create(valid);
      return this.parse(resource);
    } catch (error) {
      return this.translate(error);
    }
  }

  async read(id: string, partitionKey: string): Promise<WithEtag<z.output<S>> | undefined> {
    const { resource, statusCode } = await (await this.container()).item(id, partitionKey).read();
    if (statusCode === 404 || !resource) return undefined;
    return this.parse(resource);
  }

  /** Replaces the document if it still has `etag`; otherwise a CONFLICT and nothing written. */
  async replace(doc: z.input<S>, etag: string, partitionKey: string): Promise<WithEtag<z.output<S>>> {
    const valid = this.schema.parse(doc);
    try {
      const { resource } = await (await this.container())
        .item(valid.id, partitionKey)
        .replace(valid, { accessCondition: { type: "IfMatch", condition: etag } });
      return this.parse(resource);
    } catch (error) {
      return this.translate(error);
    }
  }

  /**
   * Reads the document, applies `change` and replaces it on its etag; when another write came
   * first it reads again and reapplies, so neither write is lost. `change` may throw to refuse,
   * or return undefined to leave the document as it is. Undefined when there is no document;
   * otherwise the document before and after (after undefined when `change` left it alone).
   */
  async update(
    id: string,
    partitionKey: string,
    change: (current: z.output<S>) => z.input<S> | undefined,
    options: { attempts?: number; known?: WithEtag<z.output<S>> } = {},
  ): Promise<{ before: WithEtag<z.output<S>>; after: WithEtag<z.output<S>> | undefined } | undefined> {
    const attempts = options.attempts ?? UPDATE_ATTEMPTS;
    // A caller that has just read the document saves a read: its copy is tried first.
    let found: WithEtag<z.output<S>> | undefined = options.known;
    for (let attempt = 1; ; attempt += 1) {
      found ??= await this.read(id, partitionKey);
      if (!found) return undefined;
      const { etag, ...current } = found;
      const next = change(current as z.output<S>);
      if (next === undefined) return { before: found, after: undefined };
      try {
        return { before: found, after: await this.replace(next, etag, partitionKey) };
      } catch (error) {
        // A CONFLICT naming no field is a stale etag; anything else is not ours to retry.
        const stale = error instanceof AppError && error.code === "CONFLICT" && !error.options.field;
        if (!stale || attempt >= attempts) throw error;
        found = undefined;
      }
    }
  }

  /**
   * Operations on one partition key as one transactional batch: all of them or none. When one is
   * refused (an id that exists, a stale etag, too large) nothing is written and its refusal is
   * thrown as for a single write. The caller validates each body: a batch may mix document types.
   * Returns each operation's answer (status, etag, and the document as stored unless
   * `withDocuments` is false: then writes come back without it, which saves sending it twice).
   */
  async batch(partitionKey: string, operations: OperationInput[], options: { withDocuments?: boolean } = {}): Promise<OperationResponse[]> {
    try {
      const response = await (await this.container()).items.batch(operations, partitionKey, { contentResponseOnWriteEnabled: options.withDocuments ?? true });
      // 207 names the operation that failed; every other one is 424 (failed dependency).
      const status = response.result?.find((result) => result.statusCode >= 400 && result.statusCode !== 424)?.statusCode ?? response.code ?? 200;
      if (status >= 400) throw Object.assign(new ErrorResponse(`A transactional batch was refused with ${status}.`), { code: status });
      return response.result ?? [];
    } catch (error) {
      return this.translate(error);
    }
  }

  /** For fields where the last writer should win (last-used stamps); never for user edits. */
  async patch(id: string, partitionKey: string, operations: PatchRequestBody): Promise<void> {
    try {
      await (await this.container()).item(id, partitionKey).patch(operations);
    } catch (error) {
      this.translate(error);
    }
  }

  async delete(id: string, partitionKey: string): Promise<void> {
    try {
      await (await this.container()).item(id, partitionKey).delete();
    } catch (error) {
      if (statusOf(error) !== 404) this.translate(error);
    }
  }

  /** Deletes the document only while it is still at `etag`; says whether it did (gone or changed since: no). */
  async deleteIfUnchanged(id: string, partitionKey: string, etag: string): Promise<boolean> {
    try {
      await (await this.container()).item(id, partitionKey).delete({ accessCondition: { type: "IfMatch", condition: etag } });
      return true;
    } catch (error) {
      if (statusOf(error) === 404 || statusOf(error) === 412) return false;
      this.translate(error);
    }
  }

  async query(
    query: string,
    parameters: SqlParameter[],
    options: { partitionKey?: string; limit?: number; cursor?: string } = {},
  ): Promise<Page<WithEtag<z.output<S>>>> {
    const iterator = (await this.container()).items.query(
      { query, parameters },
      { partitionKey: options.partitionKey, maxItemCount: options.limit ?? 100, continuationToken: options.cursor },
    );
    try {
      const { resources, continuationToken } = await iterator.fetchNext();
      return { items: resources.map((resource) => this.parse(resource)), cursor: continuationToken || undefined };
    } catch (error) {
      if (statusOf(error) === 400 && options.cursor) throw new AppError("BAD_REQUEST", "That page cursor is not valid any more; start from the first page.", { cause: error, field: "cursor" });
      throw error;
    }
  }

  /**
   * A document by id alone, for callers that know no partition (an operator's key exchange, a
   * sidecar's connect, the SSE route): a cross-partition query, so not for hot paths.
   */
  async findById(id: string): Promise<WithEtag<z.output<S>> | undefined> {
    return (await this.queryAll("SELECT * FROM c WHERE c.id = @id", [{ name: "@id", value: id }]))[0];
  }

  /** Every match, for small bounded sets (a person's memberships, a workspace's tokens). */
  async queryAll(query: string, parameters: SqlParameter[], options: { partitionKey?: string } = {}): Promise<WithEtag<z.output<S>>[]> {
    const { resources } = await (await this.container()).items.query({ query, parameters }, { partitionKey: options.partitionKey }).fetchAll();
    return resources.map((resource) => this.parse(resource));
  }
}
