import { CONTAINERS, type ContainerDefinition } from "@/prisma-free-schema";
import { indexingPolicyOf } from "./open-container";

/** A value as one shell word: single-quoted, with any single quote closed, escaped and reopened. */
function shellWord(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** The `az` command that makes `definition` as the platform would (partition key, unique keys, ttl, index). */
function createCommand(definition: ContainerDefinition): string {
  const parts = [
    "az cosmosdb sql container create",
    '--account-name "$ACCOUNT" --resource-group "$GROUP" --database-name "$DATABASE"',
    `--name ${definition.id}`,
    `--partition-key-path ${definition.partitionKey}`,
  ];
  if (definition.uniqueKeys.length > 0) parts.push(`--unique-key-policy ${shellWord(JSON.stringify({ uniqueKeys: definition.uniqueKeys.map((paths) => ({ paths })) }))}`);
  if (definition.defaultTtl !== undefined) parts.push(`--ttl ${definition.defaultTtl}`);
  const policy = indexingPolicyOf(definition);
  if (policy) parts.push(`--idx ${shellWord(JSON.stringify(policy))}`);
  return parts.join(" \\\n  ");
}

/**
 * A shell script that provisions every container the platform uses, for an account it reaches
 * with a managed identity: Cosmos DB's data-plane roles read and write items but may not create
 * or change containers, so they are made beforehand (`npm run --silent azure:containers`).
 */
export function provisioningScript(): string {
  return [
    "#!/usr/bin/env bash",
    "# The Cosmos DB containers Disco Parrot uses (from prisma-free-schema/containers.ts).",
    '# Set ACCOUNT, GROUP and DATABASE (the platform\'s COSMOS_DATABASE, "discoparrot" unless set), then run it.',
    "# A container that exists already is refused by az; rerunning after a release creates only the new ones.",
    "set -u",
    'az cosmosdb sql database create --account-name "$ACCOUNT" --resource-group "$GROUP" --name "$DATABASE" || true',
    ...Object.values(CONTAINERS).map((definition) => `${createCommand(definition)} || true`),
    "",
  ].join("\n");
}
