/**
 * A bring-your-own host: a Kubernetes cluster or a Docker engine whose operator dials out to
 * the platform. Managed compute is not a host record; it is the default.
 */
export const HOST_KINDS = ["kubernetes", "docker"] as const;
export type THostKind = (typeof HOST_KINDS)[number];
export const HOST_KIND_LABELS: Record<THostKind, string> = { kubernetes: "Kubernetes operator", docker: "Local Docker" };

export const RUNTIME_FAMILIES = ["node", "python", "go", "java", "dotnet"] as const;
export type TRuntimeFamily = (typeof RUNTIME_FAMILIES)[number];

export const HOST_STATUSES = ["awaiting-operator", "registered", "disconnected"] as const;
export type THostStatus = (typeof HOST_STATUSES)[number];
export const HOST_STATUS_LABELS: Record<THostStatus, string> = {
  "awaiting-operator": "Awaiting operator",
  registered: "Registered",
  disconnected: "Connection dropped",
};

/** Warm containers a Local Docker host keeps ready, per profile; 0 drains that profile's pool. */
export const MAX_WARM_POOL_SIZE = 20;

export const DEFAULT_DOCKER_NETWORK = "bridge";
