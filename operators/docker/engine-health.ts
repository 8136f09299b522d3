import type { THealthFacts } from "@/prisma-free-schema";
import { processHealth } from "../shared/process-health";
import { ownFilter } from "./ownership";
import type { EngineContext } from "./start-container";

/**
 * What a Docker host's check-ins and `host.health` carry: the process facts, the engine's
 * version (or `unreachable`), how many containers of ours it holds, and the sandbox network.
 */
export async function engineHealth(engine: EngineContext): Promise<THealthFacts> {
  const facts: THealthFacts = { ...processHealth(), network: engine.network };
  try {
    const [version, containers] = await Promise.all([engine.docker.version(), engine.docker.listContainers({ all: true, filters: ownFilter(engine.hostId) })]);
    return { ...facts, engine: version.Version.slice(0, 256), containers: containers.length };
  } catch (error) {
    return { ...facts, engine: "unreachable", engineError: (error instanceof Error ? error.message : String(error)).slice(0, 256) };
  }
}
