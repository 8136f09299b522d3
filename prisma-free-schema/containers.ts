/**
 * The store's containers: name, partition key and unique keys. The store creates each on first
 * use, so adding a container is adding a line here. Unique keys hold within one logical
 * partition (Cosmos DB semantics), which is exactly "unique in the workspace" for the
 * workspace-partitioned containers.
 */
export interface ContainerDefinition {
  readonly id: string;
  readonly partitionKey: `/${string}`;
  readonly uniqueKeys: readonly (readonly `/${string}`[])[];
  /** Seconds; -1 turns TTL on with per-document `ttl`; undefined leaves it off. */
  readonly defaultTtl?: number;
  /**
   * Paths left out of the container's index (Cosmos DB indexes every path by default, and a write
   * costs request units per indexed value): what no query ever filters or sorts on.
   */
  readonly notIndexed?: readonly `/${string}`[];
}

export const CONTAINERS = {
  workspaces: { id: "workspaces", partitionKey: "/id", uniqueKeys: [] },
  users: { id: "users", partitionKey: "/id", uniqueKeys: [] },
  members: { id: "members", partitionKey: "/workspaceId", uniqueKeys: [["/email"]] },
  // Partitioned by token id: every API request authenticates with one point read.
  apiTokens: { id: "apiTokens", partitionKey: "/id", uniqueKeys: [] },
  hosts: { id: "hosts", partitionKey: "/workspaceId", uniqueKeys: [["/name"]] },
  // A host's presence (status, last seen, operator version, health), one per host by its id:
  // check-ins write here, never to the host people edit (ZHostPresence).
  hostPresence: { id: "hostPresence", partitionKey: "/workspaceId", uniqueKeys: [] },
  profiles: { id: "profiles", partitionKey: "/workspaceId", uniqueKeys: [["/nameKey"]] },
  auditEvents: { id: "auditEvents", partitionKey: "/workspaceId", uniqueKeys: [] },
  runs: { id: "runs", partitionKey: "/workspaceId", uniqueKeys: [] },
  // A run's log, one partition per run: its events (one document per contiguous range of seqs),
  // its turns and its progress marker, which says what is stored (see run-log.ts).
  // Only the documents' own fields are queried, never what is inside a range's events, so those
  // stay out of the index: a range of 1,000 events would otherwise index every field of each.
  runEvents: { id: "runEvents", partitionKey: "/runId", uniqueKeys: [], notIndexed: ["/events/*"] },
  // One per sandbox; a person's sandbox for a profile is found by (ownerId, profileId) in the workspace.
  sandboxes: { id: "sandboxes", partitionKey: "/workspaceId", uniqueKeys: [] },
  // A person's sandbox for a profile: one slot per (person, profile), claimed on its etag by a launch (ZSandboxSlot).
  sandboxSlots: { id: "sandboxSlots", partitionKey: "/workspaceId", uniqueKeys: [] },
  // Managed compute seconds, one row per (day, profile) in the workspace.
  usage: { id: "usage", partitionKey: "/workspaceId", uniqueKeys: [] },
  // Refused key exchanges per bucket of presented keys and of host ids, counted in the store so a
  // restart does not reset them; at most 8,192 rows, each expired two minutes after its last write.
  keyAttempts: { id: "keyAttempts", partitionKey: "/id", uniqueKeys: [], defaultTtl: 120 },
  // --- channel admissions (issue 10, item 7) ---
  // Which hub user each connection was admitted as (server/channel/connection-admissions.ts);
  // per-document ttl, pushed back while the connection lives.
  channelConnections: { id: "channelConnections", partitionKey: "/id", uniqueKeys: [], defaultTtl: -1 },
  // CloudEvent ids already handled, per connection: a replay inside the window is dropped.
  channelEventIds: { id: "channelEventIds", partitionKey: "/id", uniqueKeys: [], defaultTtl: -1 },
  // --- end channel admissions ---
  // Sign-in (issue 10): one document per signed-in browser, partitioned by person so "end all of
  // this person's sessions" is one partition; each expires with its session (per-document ttl).
  sessions: { id: "sessions", partitionKey: "/userId", uniqueKeys: [], defaultTtl: -1 },
  // One-time invite links, by the SHA-256 of their token; kept a while past expiry (ttl).
  invites: { id: "invites", partitionKey: "/id", uniqueKeys: [], defaultTtl: -1 },
  // Failed password sign-ins per account and per address, expiring with their window.
  signInAttempts: { id: "signInAttempts", partitionKey: "/id", uniqueKeys: [], defaultTtl: -1 },
  // Caps (server/services/limits/): a short lock per cap while one request counts and creates, and
  // one lease per open run event stream, per principal. Rows expire on their own (TTL).
  capLocks: { id: "capLocks", partitionKey: "/id", uniqueKeys: [], defaultTtl: 60 },
  streamLeases: { id: "streamLeases", partitionKey: "/principal", uniqueKeys: [], defaultTtl: 300 },
  // Housekeeping rows: the embedded store's probe, and one lease per recurring job (server/scheduler/).
  system: { id: "system", partitionKey: "/id", uniqueKeys: [] },
} as const satisfies Record<string, ContainerDefinition>;

export type ContainerName = keyof typeof CONTAINERS;
