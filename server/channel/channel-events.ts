import { CHANNEL_EVENTS, CHANNEL_HUB, SIDECAR_EVENTS, ZChannelHeaderId, ZHostUserId, ZPlatformUserId, ZReplyBatch, ZSandboxUserId } from "@/prisma-free-schema";
import { ZEnvelope } from "@/prisma-free-schema/channel-envelope";
import { log } from "../log";
import type { Store } from "../store/store";
import type { Channel } from "./channel";
import { admitOperator } from "../services/presence/host-presence";
import { admitSidecar } from "../services/sandboxes/record-sidecar-connected";
import { checkAdmission, claimEventId, readAdmission, recordAdmission, releaseEventId } from "./connection-admissions";
import { badEvent, type ChannelEvent, noContent, refuse } from "./event-responses";
import { isAuthenticEvent } from "./event-authenticity";
import { handleOperatorEvent } from "./operator-events";
import { handleSidecarEvent } from "./sidecar-events";

const CONNECT = "azure.webpubsub.sys.connect";
const CONNECTED = "azure.webpubsub.sys.connected";
const DISCONNECTED = "azure.webpubsub.sys.disconnected";

/**
 * The hub's CloudEvents (WEBPUBSUB.md §5): the abuse-protection handshake, then each event,
 * once it has proved it comes from our hub, goes to the operators' or the sidecars' handler by
 * who sent it. The signature proves only the connection id (§5.3), so the rest is checked
 * against what the platform recorded when it admitted that connection (connection-admissions.ts):
 * a connection never admitted or already ended, a claimed user other than the admitted one, or a
 * repeated CloudEvent id (for events that are not idempotent: CLAIMLESS_EVENTS) is dropped,
 * logged, and changes nothing. Every body is validated by its handler before anything is written.
 */
export async function handleChannelEvent(request: Request, channel: Channel, store: Store): Promise<Response> {
  if (request.method === "OPTIONS") {
    const origin = request.headers.get("webhook-request-origin");
    if (!origin) return refuse(400, "Not a Web PubSub abuse-protection request.");
    return new Response(null, { status: 200, headers: { "WebHook-Allowed-Origin": channel.hubHost } });
  }

  const header = (name: string) => request.headers.get(name);
  const connectionId = ZChannelHeaderId.safeParse(header("ce-connectionId"));
  const eventId = ZChannelHeaderId.safeParse(header("ce-id"));
  const type = header("ce-type");
  if (!header("ce-awpsversion") || !connectionId.success || !eventId.success || !type?.startsWith("azure.webpubsub.")) return refuse(400, "Not a Web PubSub event.");
  if (header("ce-hub")?.toLowerCase() !== CHANNEL_HUB) return refuse(400, "This handler serves the discoparrot hub only.");
  if (!isAuthenticEvent(channel.authenticity, { url: new URL(request.url), connectionId: connectionId.data, signature: header("ce-signature") })) {
    log.warn("channel.event_refused", { type, connectionId: connectionId.data, why: "signature" });
    return refuse(401, "The event's signature does not match.");
  }

  const event: ChannelEvent = { type, userId: header("ce-userId") ?? "", connectionId: connectionId.data, body: () => jsonBody(request) };
  if (ZPlatformUserId.safeParse(event.userId).success) return servePeer(event, eventId.data);
  const party = PARTIES.find((candidate) => candidate.user.safeParse(event.userId).success);
  if (!party) {
    // Tokens are only ever issued to operators and sidecars (and platform processes, above); anyone else is refused at connect.
    log.warn("channel.event_refused", { type, connectionId: event.connectionId, why: "neither an operator nor a sidecar" });
    return refuse(401, "Only operators and sidecars may connect.");
  }

  // The ce-id is not signed and the hub's is a counter per connection, so someone holding one
  // signed event of a connection can send its next ids. An event claiming another user than the
  // one its connection was admitted as is therefore dropped BEFORE its id is claimed: it must not
  // take an id the real client's events will come with. (The connection's record, read here,
  // is handed on to the full check.)
  const recordRead = type === CONNECT ? undefined : readAdmission(store, event.connectionId);
  recordRead?.catch(() => undefined);
  const record = await recordRead;
  if (record && record.userId !== event.userId) {
    drop(event, eventId.data, "claimed user is not the one the connection was admitted as");
    return refuse(401, NOT_ADMITTED);
  }
  // The claim comes before the rest is decided, so two deliveries of one event cannot both pass;
  // an event dropped after it gives the id back (serve says so), as does a failure. Events whose
  // second delivery changes nothing by themselves claim no id (a store write per batch saved).
  const claims = !CLAIMLESS_EVENTS.has(type);
  if (claims && !(await claimEventId(store, event.connectionId, eventId.data))) {
    drop(event, eventId.data, "repeated event id");
    // A repeat of something already handled is acknowledged (a hub retry expects that); a repeated connect admits nothing.
    return type === CONNECT ? refuse(401, "This connect event was already handled.") : noContent();
  }
  let served: Served;
  try {
    served = await serve(event, eventId.data, party, channel, store, recordRead);
  } catch (error) {
    if (claims) await releaseEventId(store, event.connectionId, eventId.data).catch(() => undefined);
    throw error;
  }
  if (claims && served.dropped) await releaseEventId(store, event.connectionId, eventId.data).catch((error: unknown) => log.warn("channel.event_id_release_failed", { connectionId: event.connectionId, error }));
  return served.response;
}

/**
 * Events applied idempotently by their handler, so a repeat (a hub retry, or someone replaying a
 * captured event verbatim) changes nothing without a claimed ce-id: a sidecar's run events are
 * stored once per (run, seq), and a reply settles its command once (a repeat finds nothing
 * waiting under its correlation id). Every other check still applies to them.
 */
const CLAIMLESS_EVENTS = new Set([
  `azure.webpubsub.user.${SIDECAR_EVENTS.runEvents}`,
  `azure.webpubsub.user.${CHANNEL_EVENTS.reply}`,
  `azure.webpubsub.user.${CHANNEL_EVENTS.replies}`,
]);

const NOT_ADMITTED = "The event's connection was not admitted as that user, or has ended.";

/** What serving an event answered, and whether it was dropped unhandled (its ce-id is then given back). */
interface Served {
  response: Response;
  dropped: boolean;
}
const handled = (response: Response): Served => ({ response, dropped: false });
const dropped = (response: Response): Served => ({ response, dropped: true });

async function serve(
  event: ChannelEvent,
  eventId: string,
  party: Party,
  channel: Channel,
  store: Store,
  recordRead: ReturnType<typeof readAdmission> | undefined,
): Promise<Served> {
  const id = event.userId.slice(event.userId.indexOf(":") + 1);
  if (event.type === CONNECT) {
    const admitted = await party.admit(store, id);
    if (!admitted) {
      log.info("channel.connection_refused", { userId: event.userId, connectionId: event.connectionId });
      return dropped(refuse(401, `This ${party.name} may not connect now.`));
    }
    if (!(await recordAdmission(store, { connectionId: event.connectionId, userId: event.userId, workspaceId: admitted.workspaceId }))) {
      drop(event, eventId, "connection already admitted");
      return dropped(refuse(401, "This connection was already admitted."));
    }
    return handled(noContent());
  }

  const admission = await checkAdmission(
    store,
    channel.platform,
    { connectionId: event.connectionId, claimedUserId: event.userId, disconnected: event.type === DISCONNECTED },
    recordRead,
  );
  if (!admission.ok) {
    drop(event, eventId, admission.why);
    return dropped(refuse(401, NOT_ADMITTED));
  }
  const { workspaceId, userId } = admission.connection;
  if (event.type === `azure.webpubsub.user.${CHANNEL_EVENTS.reply}`) {
    const envelope = ZEnvelope.safeParse(await event.body());
    if (!envelope.success) return dropped(badEvent(event, envelope.error));
    channel.platform.acceptReply(userId, envelope.data);
    return handled(noContent());
  }
  if (event.type === `azure.webpubsub.user.${CHANNEL_EVENTS.replies}`) {
    const batch = ZReplyBatch.safeParse(await event.body());
    if (!batch.success) return dropped(badEvent(event, batch.error));
    for (const envelope of batch.data) channel.platform.acceptReply(userId, envelope);
    return handled(noContent());
  }
  // Handlers refuse (4xx) before they write anything: such an event was not applied either.
  const response = await party.handle({ ...event, userId, id, workspaceId }, channel, store);
  return response.status >= 400 ? dropped(response) : handled(response);
}

/**
 * Another platform process's own connection (platform-peers.ts). Its token was signed with the
 * hub's access key, which only platforms hold, so its connect is admitted as it is; it sends no
 * events of its own, and whatever it might send is refused.
 */
function servePeer(event: ChannelEvent, eventId: string): Response {
  if (event.type === CONNECT || event.type === CONNECTED || event.type === DISCONNECTED) return noContent();
  drop(event, eventId, "a platform process sends no events");
  return refuse(400, "Platform processes send no events.");
}

/** A dropped event, for whoever investigates: what it claimed and why it was not served (no body, no signature). */
function drop(event: ChannelEvent, eventId: string, why: string): void {
  log.warn("channel.event_dropped", { type: event.type, connectionId: event.connectionId, eventId: eventId.slice(0, 64), claimedUserId: event.userId.slice(0, 128), why });
}

/** Who may hold a connection: how each is recognised, admitted at connect, and served after. */
const PARTIES = [
  { name: "host's operator", user: ZHostUserId, admit: admitOperator, handle: handleOperatorEvent },
  { name: "sandbox's sidecar", user: ZSandboxUserId, admit: admitSidecar, handle: handleSidecarEvent },
] as const;
type Party = (typeof PARTIES)[number];

async function jsonBody(request: Request): Promise<unknown> {
  try {
    return await request.json();
  } catch {
    return undefined;
  }
}
