/**
 * The most calls our own clients (the pages and `createDiscoParrotClient`) put in one tRPC batch.
 * The server refuses batches over TRPC_MAX_BATCH_SIZE, which may not be set below this.
 */
export const CLIENT_MAX_BATCH_ITEMS = 10;
