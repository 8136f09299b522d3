import { CHANNEL_EVENTS, CHANNEL_HUB, ZCheckIn, ZHostUserId, ZWorkspaceId } from "@/prisma-free-schema";
import { ZEnvelope } from "@/prisma-free-schema/channel-envelope";
import { z } from "zod";
import { log } from "../log";
import { admitOperator, recordCheckIn, recordOperatorConnected, recordOperatorDisconnected } from "../services/presence/host-presence";
import type { Store } from "../store/store";
import type { Channel } from "./channel";
import { isAuthenticEvent } from "./event-authenticity";

/** What we keep on an operator's connection (the hub hands it back with every event): its workspace, so no event needs a cross-workspace lookup. */
const ZConnectionState = z.object({ workspaceId: ZWorkspaceId });
const STATE_HEADER = "ce-connectionState";

const noContent = () => new Response(null, { status: 204 });
const refuse = (status: 400 | 401, message: string) => new Response(message, { status, headers: { "content-type": "text/plain; charset=utf-8" } });

/**
 * The hub's CloudEvents (WEBPUBSUB.md §5): the abuse-protection handshake, then for each
 * operator connection `connect` (may refuse), `connected`, its user events (`reply`, `checkin`)
 * and `disconnected`. Every request must prove it comes from our hub; every body is validated
 * before anything is written.
 */
export async function handleChannelEvent(request: Request, channel: Channel, store: Store): Promise<Response> {
  if (request.method === "OPTIONS") {
    const origin = request.headers.get("webhook-request-origin");
    if (!origin) return refuse(400, "Not a Web PubSub abuse-protection request.");
    return new Response(null, { status: 200, headers: { "WebHook-Allowed-Origin": channel.hubHost } });
  }

  const header = (name: string) => request.headers.get(name);
  const connectionId = header("ce-connectionId");
  const type = header("ce-type");
  if (!header("ce-awpsversion") || !connectionId || !type?.startsWith("azure.webpubsub.")) return refuse(400, "Not a Web PubSub event.");
  if (header("ce-hub")?.toLowerCase() !== CHANNEL_HUB) return refuse(400, "This handler serves the discoparrot hub only.");
  if (!isAuthenticEvent(channel.authenticity, { url: new URL(request.url), connectionId, signature: header("ce-signature") })) {
    log.warn("channel.event_refused", { type, connectionId, why: "signature" });
    return refuse(401, "The event's signature does not match.");
  }

  const user = ZHostUserId.safeParse(header("ce-userId"));
  if (!user.success) {
    // Only operators connect in this version; any other identity is refused at connect.
    log.warn("channel.event_refused", { type, connectionId, why: "not an operator" });
    return refuse(401, "Only operators may connect.");
  }
  const userId = user.data;
  const hostId = userId.slice("host:".length);

  if (type === "azure.webpubsub.sys.connect") {
    const admitted = await admitOperator(store, hostId);
    if (!admitted) {
      log.info("channel.operator_refused", { hostId, connectionId });
      return refuse(401, "This host does not accept an operator connection now.");
    }
    const state = Buffer.from(JSON.stringify(admitted)).toString("base64");
    return new Response(null, { status: 204, headers: { [STATE_HEADER]: state } });
  }

  const state = connectionStateOf(header(STATE_HEADER));
  if (!state) return refuse(400, "The connection carries no workspace; it was not admitted by this platform.");
  const at = { workspaceId: state.workspaceId, hostId };

  switch (type) {
    case "azure.webpubsub.sys.connected":
      await recordOperatorConnected(store, at);
      return noContent();
    case "azure.webpubsub.sys.disconnected":
      await recordOperatorDisconnected(store, at, () => channel.platform.isConnected(userId));
      return noContent();
    case `azure.webpubsub.user.${CHANNEL_EVENTS.reply}`: {
      const envelope = ZEnvelope.safeParse(await jsonBody(request));
      if (!envelope.success) return badEvent(userId, type, envelope.error);
      channel.platform.acceptReply(userId, envelope.data);
      return noContent();
    }
    case `azure.webpubsub.user.${CHANNEL_EVENTS.checkIn}`: {
      const checkIn = ZCheckIn.safeParse(await jsonBody(request));
      if (!checkIn.success) return badEvent(userId, type, checkIn.error);
      await recordCheckIn(store, at, checkIn.data);
      return noContent();
    }
    default:
      log.warn("channel.event_refused", { type, userId, why: "unknown event" });
      return refuse(400, `Unknown event ${type}.`);
  }
}

function connectionStateOf(value: string | null): z.infer<typeof ZConnectionState> | undefined {
  if (!value) return undefined;
  try {
    const parsed = ZConnectionState.safeParse(JSON.parse(Buffer.from(value, "base64").toString("utf8")));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

async function jsonBody(request: Request): Promise<unknown> {
  try {
    return await request.json();
  } catch {
    return undefined;
  }
}

function badEvent(userId: string, type: string, error: z.ZodError): Response {
  const first = error.issues[0];
  const why = first ? `${first.path.join(".") || "body"}: ${first.message}` : "invalid";
  log.warn("channel.event_refused", { type, userId, why });
  return refuse(400, `The ${type.split(".").pop()} event is not valid (${why}).`);
}
