import type { z } from "zod";
import { log } from "../log";

/** A hub event, once it is known to come from our hub (its claimed user is not yet checked). */
export interface ChannelEvent {
  /** `azure.webpubsub.sys.connect`, `azure.webpubsub.user.reply`, … */
  type: string;
  userId: string;
  connectionId: string;
  body(): Promise<unknown>;
}

/** An event on a connection this platform admitted as `userId`: who (`host_…` / `sbx_…`) and in which workspace, from the admission record. */
export interface AdmittedEvent extends ChannelEvent {
  id: string;
  workspaceId: string;
}

export const noContent = () => new Response(null, { status: 204 });

export const refuse = (status: 400 | 401, message: string) =>
  new Response(message, { status, headers: { "content-type": "text/plain; charset=utf-8" } });

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
