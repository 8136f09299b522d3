import type { HubConnection } from "./hub-connection";

/**
 * Who is connected to which hub, as which user, in which groups. Hub names are case-insensitive
 * (the emulator lower-cases them; the express handler compares `ce-hub` without case), so the
 * lower-cased name is the key and the name the hub reports.
 */
export const HUB_NAME = /^[A-Za-z][A-Za-z0-9_`,.[\]]{0,127}$/;

export class Hub {
  readonly connections = new Map<string, HubConnection>();
  private readonly users = new Map<string, Set<HubConnection>>();
  private readonly groups = new Map<string, Set<HubConnection>>();

  constructor(readonly name: string) {}

  add(connection: HubConnection): void {
    this.connections.set(connection.id, connection);
    if (connection.userId !== null) setOf(this.users, connection.userId).add(connection);
  }

  remove(connection: HubConnection): void {
    if (this.connections.get(connection.id) !== connection) return;
    this.connections.delete(connection.id);
    if (connection.userId !== null) deleteFrom(this.users, connection.userId, connection);
    for (const group of connection.groups) deleteFrom(this.groups, group, connection);
    connection.groups.clear();
  }

  join(connection: HubConnection, group: string): void {
    if (!this.connections.has(connection.id)) return;
    connection.groups.add(group);
    setOf(this.groups, group).add(connection);
  }

  leave(connection: HubConnection, group: string): void {
    connection.groups.delete(group);
    deleteFrom(this.groups, group, connection);
  }

  userConnections(userId: string): HubConnection[] {
    return [...(this.users.get(userId) ?? [])];
  }

  groupMembers(group: string): HubConnection[] {
    return [...(this.groups.get(group) ?? [])];
  }

  hasUser(userId: string): boolean {
    return this.users.has(userId);
  }

  hasGroup(group: string): boolean {
    return this.groups.has(group);
  }
}

export class HubRegistry {
  private readonly hubs = new Map<string, Hub>();

  /** The hub by any casing of its name, if anyone ever connected to it. */
  find(name: string): Hub | undefined {
    return this.hubs.get(name.toLowerCase());
  }

  /** The hub by any casing of its name, created on first use; only for authenticated callers. */
  hub(name: string): Hub {
    const key = name.toLowerCase();
    let hub = this.hubs.get(key);
    if (!hub) {
      hub = new Hub(key);
      this.hubs.set(key, hub);
    }
    return hub;
  }

  *allConnections(): Generator<HubConnection> {
    for (const hub of this.hubs.values()) yield* [...hub.connections.values()];
  }
}

function setOf<K, V>(map: Map<K, Set<V>>, key: K): Set<V> {
  let set = map.get(key);
  if (!set) {
    set = new Set();
    map.set(key, set);
  }
  return set;
}

function deleteFrom<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(value);
  if (set.size === 0) map.delete(key);
}
