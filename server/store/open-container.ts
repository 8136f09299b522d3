import type { Container, ContainerDefinition as CosmosContainerDefinition, Database, IndexingPolicy } from "@azure/cosmos";
import type { ContainerDefinition } from "@/prisma-free-schema";
import { log } from "../log";

/** Cosmos DB's default: every path indexed, the system etag not. */
const ETAG_PATH = '/"_etag"/?';

/** The indexing policy `definition` asks for; undefined when it keeps Cosmos DB's default. */
export function indexingPolicyOf(definition: ContainerDefinition): IndexingPolicy | undefined {
  if (!definition.notIndexed?.length) return undefined;
  return {
    indexingMode: "consistent",
    automatic: true,
    includedPaths: [{ path: "/*" }],
    excludedPaths: [...definition.notIndexed.map((path) => ({ path })), { path: ETAG_PATH }],
  };
}

/**
 * The container `definition` names, made on first use. One made before its definition left a path
 * out of the index (an older version's) is brought up to it where the store's identity may change
 * containers: Cosmos DB changes a container's indexing policy in place, re-indexing in the
 * background while reads and writes go on. Where it may not, the container is used as it is.
 */
export async function openContainer(database: Database, definition: ContainerDefinition): Promise<Container> {
  const indexingPolicy = indexingPolicyOf(definition);
  const wanted: CosmosContainerDefinition = {
    id: definition.id,
    partitionKey: { paths: [definition.partitionKey] },
    uniqueKeyPolicy: { uniqueKeys: definition.uniqueKeys.map((paths) => ({ paths: [...paths] })) },
    defaultTtl: definition.defaultTtl,
    ...(indexingPolicy ? { indexingPolicy } : {}),
  };
  const { container, resource } = await database.containers.createIfNotExists(wanted);
  const excluded = new Set((resource?.indexingPolicy?.excludedPaths ?? []).map(({ path }) => path));
  const missing = (definition.notIndexed ?? []).filter((path) => !excluded.has(path));
  if (missing.length > 0) {
    try {
      await container.replace({ ...wanted, indexingPolicy: { ...resource?.indexingPolicy, ...indexingPolicy, excludedPaths: [...(resource?.indexingPolicy?.excludedPaths ?? []), ...missing.map((path) => ({ path }))] } });
      log.info("store.container_index_narrowed", { container: definition.id, notIndexed: missing });
    } catch (error) {
      // A managed identity's data-plane role may not change containers: the container works as it
      // is (only dearer to write), and whoever provisions the account sets the policy.
      log.warn("store.container_index_not_narrowed", { container: definition.id, notIndexed: missing, error });
    }
  }
  return container;
}
