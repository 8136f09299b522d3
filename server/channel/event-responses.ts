import type { z } from "zod";
import { log } from "../log";

/** A hub event, once it is known to come from our hub. */
export interface ChannelEvent {
  /** `azure.webpubsub.sys.connect`, `azure.webpubsub.user.reply`, … */
  type: string;
  userId: string;
  connectionId: string;
  /** The workspace we put on the connection at connect; undefined on connect itself. */
  workspaceId: string | undefined;
  body(): Promise<unknown>;
}

/** An event on a connection this platform admitted: who (`host_…` / `sbx_…`) and in which workspace. */
export interface AdmittedEvent extends ChannelEvent {
  id: string;
  workspaceId: string;
}

export const noContent = () => new Response(null, { status: 204 });

export const refuse = (status: 400 | 401, message: string) =>
  new Response(message, { status, headers: { "content-type": "text/plain; charset=utf-8" } });

/** Accepts a connection, remembering its workspace on it (the hub hands it back with every event). */
export function admit(workspaceId: string): Response {
  const state = Buffer.from(JSON.stringify({ workspaceId })).toString("base64");
  return new Response(null, { status: 204, headers: { [CONNECTION_STATE_HEADER]: state } });
}
export const CONNECTION_STATE_HEADER = "ce-connectionState";

export function badEvent(event: ChannelEvent, error: z.ZodError): Response {
  const first = error.issues[0];
  const why = first ? `${first.path.join(".") || "body"}: ${first.message}` : "invalid";
  log.warn("channel.event_refused", { type: event.type, userId: event.userId, why });
  return refuse(400, `The ${event.type.split(".").pop()} event is not valid (${why}).`);
}

export function unknownEvent(event: ChannelEvent): Response {
  log.warn("channel.event_refused", { type: event.type, userId: event.userId, why: "unknown event" });
  return refuse(400, `Unknown event ${event.type}.`);
}
