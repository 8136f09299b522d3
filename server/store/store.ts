import { CosmosClient, type Container, type Database } from "@azure/cosmos";
import { DefaultAzureCredential } from "@azure/identity";
import type { ContainerDefinition } from "@/prisma-free-schema";
import type { Env } from "../env";
import { getEnv } from "../env";
import { log } from "../log";
import { startEmbeddedCosmos } from "./embedded/embedded-cosmos-server";
import { openContainer } from "./open-container";
import { EMBEDDED_COSMOS_PROGRAM, type EmbeddedThread, startEmbedded } from "../threads/embedded-thread";

/**
 * The store: one Cosmos DB database reached through `@azure/cosmos`, either an Azure account
 * (key for an emulator, managed identity otherwise) or the embedded server, on a thread of its own
 * (or, for tests that look inside it, on the caller's).
 * Nothing past this file knows which; containers are created the first time they are used.
 */
export interface Store {
  readonly mode: "embedded" | "azure";
  readonly database: Database;
  container(definition: ContainerDefinition): Promise<Container>;
  /** Resolves when the store answers a read, within `timeoutMs`. */
  ping(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export interface StoreOptions {
  store: Env["store"];
  dataDir: string;
  embeddedThread?: EmbeddedThread;
}

export async function openStore(options: StoreOptions): Promise<Store> {
  const { store: settings } = options;
  let client: CosmosClient;
  let stopEmbedded: (() => Promise<void>) | undefined;
  if (settings.mode === "embedded") {
    const embedded = await startEmbedded<{ dataDir: string }, { endpoint: string; key: string }>(options.embeddedThread, EMBEDDED_COSMOS_PROGRAM, { dataDir: options.dataDir }, startEmbeddedCosmos);
    client = new CosmosClient({ endpoint: embedded.endpoint, key: embedded.key });
    stopEmbedded = embedded.stop;
  } else if (settings.key) {
    client = new CosmosClient({ endpoint: settings.endpoint, key: settings.key });
  } else {
    // Production: a managed identity, no account key anywhere (seed: deployment and hosting).
    client = new CosmosClient({ endpoint: settings.endpoint, aadCredentials: new DefaultAzureCredential() });
  }

  const { database } = await client.databases.createIfNotExists({ id: settings.database });
  const containers = new Map<string, Promise<Container>>();

  return {
    mode: settings.mode,
    database,
    container(definition) {
      let pending = containers.get(definition.id);
      if (!pending) {
        pending = openContainer(database, definition);
        // A failed creation is retried by the next caller instead of being remembered.
        pending.catch(() => containers.delete(definition.id));
        containers.set(definition.id, pending);
      }
      return pending;
    },
    async ping(timeoutMs = 2000) {
      await Promise.race([
        database.read(),
        new Promise((_, reject) => setTimeout(() => reject(new Error(`store did not answer within ${timeoutMs} ms`)), timeoutMs).unref()),
      ]);
    },
    async close() {
      client.dispose();
      await stopEmbedded?.();
    },
  };
}

const STORE_KEY = Symbol.for("discoparrot.store");
type StoreHolder = { [STORE_KEY]?: Promise<Store> };

/**
 * This process's store, opened on first call with the validated settings. Kept on globalThis
 * because Next.js may load this module in more than one bundle (instrumentation, route handlers).
 */
export function getStore(): Promise<Store> {
  const holder = globalThis as StoreHolder;
  if (!holder[STORE_KEY]) {
    const env = getEnv();
    holder[STORE_KEY] = openStore({ store: env.store, dataDir: env.dataDir }).then((store) => {
      log.info("store.opened", { mode: store.mode, database: env.store.database, dataDir: store.mode === "embedded" ? env.dataDir : undefined });
      return store;
    });
    holder[STORE_KEY].catch(() => delete holder[STORE_KEY]);
  }
  return holder[STORE_KEY];
}
