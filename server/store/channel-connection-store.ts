import { createHash } from "node:crypto";
import { CONTAINERS, type TChannelConnection, ZChannelConnection, ZChannelEventId } from "@/prisma-free-schema";
import { AppError } from "../errors";
import { DocumentCollection } from "./documents";
import type { Store } from "./store";

const hash = (...parts: string[]) => createHash("sha256").update(parts.join("\n")).digest("hex");

/** Admitted hub connections, by the hub's connection id (see prisma-free-schema/channel-connection.ts). */
export function channelConnectionStore(store: Store) {
  const connections = new DocumentCollection(store, CONTAINERS.channelConnections, ZChannelConnection, {
    exists: "This connection was already admitted.",
    changed: "This connection's record changed meanwhile.",
  });
  return {
    documentId: (connectionId: string) => hash(connectionId),
    get: (connectionId: string) => connections.read(hash(connectionId), hash(connectionId)),
    /** Create-only: a second `connect` for the same connection id (a replay) is a CONFLICT and changes nothing. */
    create: (doc: TChannelConnection) => connections.create(doc),
    update: (connectionId: string, change: (current: TChannelConnection) => TChannelConnection | undefined) =>
      connections.update(hash(connectionId), hash(connectionId), change),
  };
}

/** CloudEvent ids already handled, per connection. */
export function channelEventIdStore(store: Store) {
  const ids = new DocumentCollection(store, CONTAINERS.channelEventIds, ZChannelEventId.extend({ ttl: ZChannelConnection.shape.ttl }), {
    exists: "This event was already handled.",
    changed: "This event id changed meanwhile.",
  });
  return {
    /** True the first time (connection, ce-id) is claimed; false for a repeat, which must be dropped. */
    async claim(connectionId: string, eventId: string, ttlSeconds: number): Promise<boolean> {
      const id = hash(connectionId, eventId);
      try {
        await ids.create({ id, type: "channelEventId", at: new Date().toISOString(), ttl: ttlSeconds });
        return true;
      } catch (error) {
        if (error instanceof AppError && error.code === "CONFLICT") return false;
        throw error;
      }
    },
    /** Gives a claim back when handling failed, so the hub's retry of the same event is served. */
    release: (connectionId: string, eventId: string) => ids.delete(hash(connectionId, eventId), hash(connectionId, eventId)),
  };
}
