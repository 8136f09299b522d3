import type { SqlParameter } from "@azure/cosmos";
import { CONTAINERS, type TRun, type TRunFilters, ZRun } from "@/prisma-free-schema";
import { RecentCopies } from "../recent-copies";
import { DocumentCollection, type WithEtag } from "./documents";
import type { Store } from "./store";

export const RUN_CHANGED_MESSAGE = "This run was changed by someone else. Reload and try again.";

/** A turn's start or end (from events) can race a person sending or cancelling one; a few retries cover that. */
const UPDATE_ATTEMPTS = 8;

/** Run id → its workspace: a fact that never changes once the run exists, so this process keeps it for good (bounded, oldest first). */
const workspaceOfRun = new RecentCopies<string>(Number.POSITIVE_INFINITY, 100_000);

export function runStore(store: Store) {
  const runs = new DocumentCollection(store, CONTAINERS.runs, ZRun, {
    exists: "A run with this id already exists.",
    changed: RUN_CHANGED_MESSAGE,
  });
  return {
    get: (workspaceId: string, runId: string) => runs.read(runId, workspaceId),
    create: (run: TRun) => runs.create(run),
    /**
     * Read-change-replace, again on top of any concurrent write (see DocumentCollection.update);
     * the run as saved, or as it was when `change` left it alone; undefined when there is none.
     * `known` is a copy the caller has just read, tried first to save a read.
     */
    update: async (workspaceId: string, runId: string, change: (run: TRun) => TRun | undefined, known?: WithEtag<TRun>): Promise<WithEtag<TRun> | undefined> => {
      const result = await runs.update(runId, workspaceId, change, { attempts: UPDATE_ATTEMPTS, known });
      return result && (result.after ?? result.before);
    },
    /** A run by id alone: the SSE route and the event channel know no workspace. */
    findById: (runId: string) => runs.findById(runId),
    /**
     * The workspace a run belongs to, by its id alone (a query across workspaces the first time,
     * then remembered: a run never moves), so a thousand watchers opening one run's stream do not
     * each search every workspace for it. Undefined when there is no such run.
     */
    workspaceOf: async (runId: string): Promise<string | undefined> => {
      const known = workspaceOfRun.get(runId);
      if (known) return known;
      const readAt = Date.now();
      const run = await runs.findById(runId);
      if (run) workspaceOfRun.keep(runId, run.workspaceId, readAt);
      return run?.workspaceId;
    },
    /** The runs a sandbox is serving (not ended), for asking its sidecar to replay after a reconnect. */
    onSandbox: (workspaceId: string, sandboxId: string) =>
      runs.queryAll("SELECT * FROM c WHERE c.sandboxId = @sandbox AND c.status != 'ended'", [{ name: "@sandbox", value: sandboxId }], { partitionKey: workspaceId }),
    /** Runs with a turn in progress, across workspaces (the periodic pass for lost events). */
    withTurnRunning: () => runs.queryAll("SELECT * FROM c WHERE c.type = 'run' AND c.status = 'running'", []),
    /**
     * Runs whose turn start any process may claim at `now`: queued and due, or being dispatched
     * under a lease that lapsed (its process died). The turn-start reconciler's resync.
     */
    withTurnStartDue: (now: string) =>
      runs.queryAll(
        "SELECT * FROM c WHERE c.type = 'run' AND c.status = 'running' AND ((c.turnStart.phase = 'queued' AND (IS_NULL(c.turnStart.until) OR c.turnStart.until <= @now)) OR (c.turnStart.phase = 'dispatching' AND c.turnStart.until <= @now))",
        [{ name: "@now", value: now }],
      ),
    /**
     * One workspace's runs, newest first, a page at a time, narrowed by `filters`. The partition
     * key is the workspace: no filter can reach another workspace's runs.
     */
    list: (workspaceId: string, { filters = {}, ...page }: { limit: number; cursor?: string; filters?: TRunFilters }) => {
      const { where, parameters } = filterClause(filters);
      return runs.query(`SELECT * FROM c${where} ORDER BY c.createdAt DESC`, parameters, { partitionKey: workspaceId, ...page });
    },
    /**
     * Who started and where ran the newest `limit` runs of a workspace, for the list's filter
     * menus: only what the list itself shows. Cosmos DB has no DISTINCT we may use here (the
     * embedded store refuses it), so the caller folds the rows.
     */
    placesAndPeople: async (workspaceId: string, limit: number) => {
      const container = await store.container(CONTAINERS.runs);
      const { resources } = await container.items
        .query<Pick<TRun, "startedBy" | "placement">>("SELECT c.startedBy, c.placement FROM c ORDER BY c.createdAt DESC", { partitionKey: workspaceId, maxItemCount: limit })
        .fetchNext();
      return resources;
    },
  };
}

/** The WHERE clause of the runs list, parameterised. */
function filterClause(filters: TRunFilters): { where: string; parameters: SqlParameter[] } {
  const conditions: string[] = [];
  const parameters: SqlParameter[] = [];
  const add = (condition: string, name: string, value: string) => {
    conditions.push(condition);
    parameters.push({ name, value });
  };
  if (filters.status) add("c.status = @status", "@status", filters.status);
  if (filters.profileId) add("c.profileId = @profileId", "@profileId", filters.profileId);
  if (filters.startedBy) add("c.startedBy.userId = @startedBy", "@startedBy", filters.startedBy);
  if (filters.hostId === "managed") conditions.push("IS_NULL(c.placement.hostId)");
  else if (filters.hostId) add("c.placement.hostId = @hostId", "@hostId", filters.hostId);
  // Cosmos DB's own ignore-case flag (server/store/embedded/string-functions.ts teaches it to the
  // embedded store); a run without a snippet (null, saved before it was kept) never matches.
  if (filters.q) add("CONTAINS(c.firstInput, @q, true)", "@q", filters.q);
  return { where: conditions.length ? ` WHERE ${conditions.join(" AND ")}` : "", parameters };
}
