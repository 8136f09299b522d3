import type { THostView } from "@/prisma-free-schema";

/**
 * What the host page asks, shared by its client sections and the page's server prefetch: the same
 * input makes the same query key, so the prefetched data is found in the browser's cache.
 */
export const hostInput = (workspaceId: string, hostId: string) => ({ workspaceId, hostId });

/** The profiles a Docker host's warm pools can be set for (one page: a host serves few). */
export const dockerProfilesInput = (workspaceId: string) => ({ workspaceId, limit: 200 });

/** Only a connected operator can list its engine's volumes; before that the section says so instead. */
export const dockerVolumesAsked = (host: Pick<THostView, "kind" | "status">) => host.kind === "docker" && host.status === "registered";
