import { CHANNEL_EVENTS, CHANNEL_HUB, ZHostUserId, ZSandboxUserId, ZWorkspaceId } from "@/prisma-free-schema";
import { ZEnvelope } from "@/prisma-free-schema/channel-envelope";
import { z } from "zod";
import { log } from "../log";
import type { Store } from "../store/store";
import type { Channel } from "./channel";
import { admitOperator } from "../services/presence/host-presence";
import { admitSidecar } from "../services/sandboxes/record-sidecar-connected";
import { admit, badEvent, type ChannelEvent, CONNECTION_STATE_HEADER, noContent, refuse } from "./event-responses";
import { isAuthenticEvent } from "./event-authenticity";
import { handleOperatorEvent } from "./operator-events";
import { handleSidecarEvent } from "./sidecar-events";

/** What we keep on a connection (the hub hands it back with every event): its workspace, so no event needs a cross-workspace lookup. */
const ZConnectionState = z.object({ workspaceId: ZWorkspaceId });

/**
 * The hub's CloudEvents (WEBPUBSUB.md §5): the abuse-protection handshake, then each event,
 * once it has proved it comes from our hub, goes to the operators' or the sidecars' handler by
 * who sent it. Every body is validated there before anything is written.
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

  const userId = header("ce-userId") ?? "";
  const event: ChannelEvent = {
    type,
    userId,
    connectionId,
    workspaceId: connectionStateOf(header(CONNECTION_STATE_HEADER))?.workspaceId,
    body: () => jsonBody(request),
  };
  const kind = PARTIES.find((party) => party.user.safeParse(userId).success);
  if (!kind) {
    // Tokens are only ever issued to operators and sidecars; anyone else is refused at connect.
    log.warn("channel.event_refused", { type, connectionId, why: "neither an operator nor a sidecar" });
    return refuse(401, "Only operators and sidecars may connect.");
  }
  const id = userId.slice(userId.indexOf(":") + 1);

  if (type === "azure.webpubsub.sys.connect") {
    const admitted = await kind.admit(store, id);
    if (admitted) return admit(admitted.workspaceId);
    log.info("channel.connection_refused", { userId, connectionId });
    return refuse(401, `This ${kind.name} may not connect now.`);
  }
  if (!event.workspaceId) return refuse(400, "The connection carries no workspace; it was not admitted by this platform.");
  if (type === `azure.webpubsub.user.${CHANNEL_EVENTS.reply}`) {
    const envelope = ZEnvelope.safeParse(await event.body());
    if (!envelope.success) return badEvent(event, envelope.error);
    channel.platform.acceptReply(userId, envelope.data);
    return noContent();
  }
  return kind.handle({ ...event, id, workspaceId: event.workspaceId }, channel, store);
}

/** Who may hold a connection: how each is recognised, admitted at connect, and served after. */
const PARTIES = [
  { name: "host's operator", user: ZHostUserId, admit: admitOperator, handle: handleOperatorEvent },
  { name: "sandbox's sidecar", user: ZSandboxUserId, admit: admitSidecar, handle: handleSidecarEvent },
] as const;

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
