import { ErrorResponse } from "@azure/cosmos";
import type { ContainerDefinition } from "@/prisma-free-schema";
import type { Store } from "./store";

function statusOf(error: unknown): number | undefined {
  return error instanceof ErrorResponse ? Number(error.code) : undefined;
}

/**
 * Rows that say who holds something until when (cap locks, stream slots, job leases): created
 * only when absent, replaced and deleted only as read (by etag), so two processes racing for one
 * never both win, and a holder that died is replaced once its row has lapsed. Create-or-fail,
 * replace-on-etag and delete-on-etag: what a lock or a lease needs, and nothing more.
 */
export function leaseRows<T extends { id: string }>(store: Store, container: ContainerDefinition, parse: (value: unknown) => T, partitionOf: (row: T) => string) {
  const open = () => store.container(container);
  return {
    /** The row, with its etag; undefined when there is none. */
    read: async (id: string, partitionKey: string): Promise<(T & { etag: string }) | undefined> => {
      const { resource, statusCode } = await (await open()).item(id, partitionKey).read();
      if (statusCode === 404 || !resource) return undefined;
      return { ...parse(resource), etag: (resource as { _etag: string })._etag };
    },
    /** False when a row with this id exists already. */
    tryCreate: async (row: T): Promise<boolean> => {
      try {
        await (await open()).items.create(parse(row));
        return true;
      } catch (error) {
        if (statusOf(error) === 409) return false;
        throw error;
      }
    },
    /** False when the row changed since `etag` was read (or is gone). */
    tryReplace: async (row: T, etag: string): Promise<boolean> => {
      try {
        await (await open()).item(row.id, partitionOf(row)).replace(parse(row), { accessCondition: { type: "IfMatch", condition: etag } });
        return true;
      } catch (error) {
        if (statusOf(error) === 412 || statusOf(error) === 404) return false;
        throw error;
      }
    },
    /** Deletes the row only if it is still as read at `etag`. */
    deleteIfUnchanged: async (id: string, partitionKey: string, etag: string): Promise<void> => {
      try {
        await (await open()).item(id, partitionKey).delete({ accessCondition: { type: "IfMatch", condition: etag } });
      } catch (error) {
        if (statusOf(error) !== 412 && statusOf(error) !== 404) throw error;
      }
    },
  };
}

