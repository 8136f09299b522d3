import type { TCliConfig } from "../../../prisma-free-schema/cli";
import { loadConfig } from "./config";
import { CliError, EXIT } from "./exit-codes";
import type { Io } from "./output";
import { platformClient, type PlatformClient } from "./platform-client";

/** What every command works with: the client, the token's workspace, where to write and how. */
export interface Session {
  client: PlatformClient;
  workspaceId: string;
  io: Io;
  json: boolean;
}

/**
 * A token opens exactly one workspace (its own): `workspaces.mine` answers with that one alone,
 * so the CLI never asks which workspace is meant.
 */
export async function workspaceOf(client: PlatformClient): Promise<{ id: string; name: string }> {
  const [workspace] = await client.workspaces.mine.query();
  if (!workspace) throw new CliError(EXIT.refused, "The token opens no workspace.");
  return { id: workspace.id, name: workspace.name };
}

export async function openSession(io: Io, json: boolean, config: TCliConfig = loadConfig()): Promise<Session> {
  const client = platformClient(config);
  const { id } = await workspaceOf(client);
  return { client, workspaceId: id, io, json };
}
