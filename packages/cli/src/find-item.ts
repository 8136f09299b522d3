import type { THostSummary } from "../../../prisma-free-schema/host";
import type { TProfileView } from "../../../prisma-free-schema/profile";
import { ZItemName } from "../../../prisma-free-schema/cli";
import { ZHostId } from "../../../prisma-free-schema/host";
import { ZProfileId } from "../../../prisma-free-schema/ids";
import { ZRunId } from "../../../prisma-free-schema/run-event";
import { CliError, EXIT } from "./exit-codes";
import type { Session } from "./session";

/** Every page of a listing: the CLI resolves names against the whole workspace, not the first page. */
async function everyPage<T>(page: (cursor: string | undefined) => Promise<{ items: T[]; cursor?: string | undefined }>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const next = await page(cursor);
    items.push(...next.items);
    cursor = next.cursor;
  } while (cursor);
  return items;
}

export const allHosts = ({ client, workspaceId }: Session) => everyPage((cursor) => client.hosts.list.query({ workspaceId, limit: 200, cursor }));
export const allProfiles = ({ client, workspaceId }: Session) => everyPage((cursor) => client.profiles.list.query({ workspaceId, limit: 200, cursor }));

function named(given: string): string {
  const parsed = ZItemName.safeParse(given);
  if (!parsed.success) throw new CliError(EXIT.usage, `${parsed.error.issues[0]?.message ?? "Not a valid name"}.`);
  return parsed.data;
}

/** A host by id, or by name (names are unique in a workspace, case aside). */
export async function findHostId(session: Session, given: string): Promise<string> {
  const name = named(given);
  if (ZHostId.safeParse(name).success) return name;
  const host = (await allHosts(session)).find((candidate: THostSummary) => candidate.name.toLowerCase() === name.toLowerCase());
  if (!host) throw new CliError(EXIT.notFound, `No host called "${name}" in this workspace.`);
  return host.id;
}

export async function findProfileId(session: Session, given: string): Promise<string> {
  const name = named(given);
  if (ZProfileId.safeParse(name).success) return name;
  const profile = (await allProfiles(session)).find((candidate: TProfileView) => candidate.name.toLowerCase() === name.toLowerCase());
  if (!profile) throw new CliError(EXIT.notFound, `No profile called "${name}" in this workspace.`);
  return profile.id;
}

/** Runs have no names: only ids. */
export function runId(given: string): string {
  const parsed = ZRunId.safeParse(given.trim());
  if (!parsed.success) throw new CliError(EXIT.usage, `"${given}" is not a run id (runs are named run_…).`);
  return parsed.data;
}
