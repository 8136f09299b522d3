import { randomBytes } from "node:crypto";
import type Docker from "dockerode";
import { DOCKER_LABELS, type TSandboxSpec, workspaceVolumeOfSpec } from "@/prisma-free-schema";
import { CommandError } from "../shared/command-error";
import type { OperatorLog } from "../shared/operator-log";
import { unlessGone } from "./engine-errors";
import { OPERATOR_LABELS, ownFilter, ownLabels } from "./ownership";
import { type EngineContext, startSandboxContainer } from "./start-container";

const WARM_PREFIX = "dp-warm-";

interface Pool {
  spec: TSandboxSpec;
  size: number;
  /** Ids of started warm containers, oldest first. */
  ready: string[];
  filling: Promise<void> | null;
}

/**
 * Containers created and started ahead of any sandbox, per definition, sitting in the entry
 * script until claimed: a claim renames one to `dp-<sandboxId>` and hands it its identity, which
 * is much quicker than creating and starting a container. Labels cannot change after creation,
 * so a claimed container is known as a sandbox by its name (see ownership.ts); its scratch volume
 * keeps its warm name and is still removed with it. Only scratch-workspace definitions are pooled:
 * a persistent volume is per person, and a warm container cannot know whose it will be.
 */
export class WarmPool {
  private readonly pools = new Map<string, Pool>();
  /** Names being created right now, so listing the engine meanwhile does not adopt them twice. */
  private readonly creating = new Set<string>();
  private stopped = false;

  constructor(
    private readonly engine: EngineContext,
    private readonly log: OperatorLog,
    /** Called when a ready count may have changed: the operator checks in soon, so the host page does not lag an interval behind. */
    private readonly onChange: () => void = () => undefined,
  ) {}

  /**
   * Makes the pools exactly `pools`: warm containers of definitions not listed are removed, and
   * the listed ones are topped up in the background (the reply says how many are ready now).
   * Warm containers left by an earlier run of the operator are adopted.
   */
  async configure(pools: { spec: TSandboxSpec; size: number }[]): Promise<{ definitionKey: string; ready: number; size: number }[]> {
    const persistent = pools.find((pool) => workspaceVolumeOfSpec(pool.spec) !== null);
    if (persistent) throw new CommandError("invalid_input", `definition ${persistent.spec.definitionKey} has a persistent workspace; only scratch workspaces are pooled`);
    const wanted = new Map(pools.map((pool) => [pool.spec.definitionKey, pool]));

    for (const [key, pool] of this.pools) {
      if (!wanted.has(key)) {
        this.pools.delete(key);
        await this.removeAll(pool.ready.splice(0));
      }
    }
    for (const [key, { spec, size }] of wanted) {
      const pool = this.pools.get(key) ?? { spec, size, ready: [], filling: null };
      pool.spec = spec;
      pool.size = size;
      this.pools.set(key, pool);
    }
    await this.adoptFromEngine();
    for (const [key, pool] of this.pools) {
      await this.removeAll(pool.ready.splice(pool.size));
      this.topUp(key);
    }
    this.onChange();
    return [...wanted.keys()].map((key) => {
      const pool = this.pools.get(key)!;
      return { definitionKey: key, ready: pool.ready.length, size: pool.size };
    });
  }

  /** A started warm container for `spec`, renamed to `name`; undefined when none is ready. */
  async claim(spec: TSandboxSpec, name: string): Promise<Docker.Container | undefined> {
    const pool = this.pools.get(spec.definitionKey);
    if (!pool || workspaceVolumeOfSpec(spec) !== null) return undefined;
    try {
      while (pool.ready.length > 0) {
        const container = this.engine.docker.getContainer(pool.ready.shift()!);
        try {
          if ((await container.inspect()).State.Running) {
            await container.rename({ name });
            this.onChange();
            return container;
          }
        } catch (error) {
          this.log.warn("a warm container could not be claimed", { error });
        }
        await this.removeAll([container.id]);
      }
      return undefined;
    } finally {
      this.topUp(spec.definitionKey);
    }
  }

  /** Ready counts per definition: what each check-in and pool.status carry. */
  readiness(): { definitionKey: string; ready: number; size: number }[] {
    return [...this.pools].map(([definitionKey, pool]) => ({ definitionKey, ready: pool.ready.length, size: pool.size }));
  }

  /** Resolves once no top-up is running (tests wait on this rather than on a sleep). */
  async settled(): Promise<void> {
    while ([...this.pools.values()].some((pool) => pool.filling)) {
      await Promise.all([...this.pools.values()].map((pool) => pool.filling));
    }
  }

  /** Stops topping up; warm containers stay for the next run of the operator to adopt. */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.pools.values()].map((pool) => pool.filling));
  }

  private topUp(key: string): void {
    const pool = this.pools.get(key);
    if (!pool || pool.filling || this.stopped) return;
    pool.filling = (async () => {
      while (!this.stopped && this.pools.get(key) === pool && pool.ready.length < pool.size) {
        const suffix = randomBytes(6).toString("hex");
        const name = `${WARM_PREFIX}${suffix}`;
        this.creating.add(name);
        try {
          const container = await startSandboxContainer(this.engine, {
            name,
            spec: pool.spec,
            labels: ownLabels(this.engine.hostId, { [OPERATOR_LABELS.warm]: "true" }),
            volumeSuffix: `warm-${suffix}`,
          });
          if (this.pools.get(key) === pool && !this.stopped) {
            pool.ready.push(container.id);
            this.onChange();
          } else await this.removeAll([container.id]);
        } catch (error) {
          this.log.warn("could not top up a warm pool", { definitionKey: key, error: error instanceof Error ? error.message : String(error) });
          return;
        } finally {
          this.creating.delete(name);
        }
      }
    })().finally(() => {
      pool.filling = null;
    });
  }

  /** Running warm containers of wanted definitions join their pool; every other warm container is removed. */
  private async adoptFromEngine(): Promise<void> {
    const listed = await this.engine.docker.listContainers({ all: true, filters: ownFilter(this.engine.hostId, [`${OPERATOR_LABELS.warm}=true`]) });
    const known = new Set([...this.pools.values()].flatMap((pool) => pool.ready));
    const stale: string[] = [];
    for (const container of listed) {
      const name = container.Names[0]?.replace(/^\//, "") ?? "";
      if (!name.startsWith(WARM_PREFIX) || this.creating.has(name) || known.has(container.Id)) continue;
      const pool = this.pools.get(container.Labels[DOCKER_LABELS.definitionKey] ?? "");
      if (pool && container.State === "running") pool.ready.push(container.Id);
      else stale.push(container.Id);
    }
    await this.removeAll(stale);
  }

  /** Removes warm containers and their scratch volumes. */
  private async removeAll(ids: string[]): Promise<void> {
    for (const id of ids) {
      const container = this.engine.docker.getContainer(id);
      try {
        const info = await container.inspect();
        await unlessGone(() => container.remove({ force: true }));
        for (const mount of info.Mounts) if (mount.Name) await this.engine.volumes.removeScratch(mount.Name);
      } catch (error) {
        this.log.warn("could not remove a warm container", { error: error instanceof Error ? error.message : String(error) });
      }
    }
  }
}
