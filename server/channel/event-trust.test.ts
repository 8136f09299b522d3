import { createHmac } from "node:crypto";
import { WebPubSubClient } from "@azure/web-pubsub-client";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { CHANNEL_EVENTS, CONTAINERS, hostUserId, newId, SIDECAR_EVENTS, sandboxUserId } from "@/prisma-free-schema";
import { runLogStore } from "../store/run-log-store";
import { sandboxStore } from "../store/sandbox-store";
import { eventually } from "../testing/eventually";
import { testSandbox } from "../testing/sandbox-fixtures";
import { createTestRun, outputEvents } from "../testing/runs-fixtures";
import { type Channel, EVENT_HANDLER_PATH, openChannel } from "./channel";
import { handleChannelEvent } from "./channel-events";
import { channelConnectionStore } from "../store/channel-connection-store";
import { ADMISSION_TRUSTED_FOR_MS } from "./connection-admissions";
import { type CapturedHubEvent, type PlatformHarness, startPlatformHarness } from "./testing/platform-harness";

/**
 * The channel trusts connections, not headers. Real hub, real signatures: each test captures an
 * event the embedded hub really signed and posted, then replays or doctors it the way someone
 * who got hold of it could (in Azure the signature covers only the connection id, so every other
 * header is theirs to rewrite), and checks that nothing a user could see changed.
 */
let platform: PlatformHarness;
const clients: WebPubSubClient[] = [];

beforeAll(async () => {
  platform = await startPlatformHarness();
});
afterAll(async () => {
  for (const client of clients) client.stop();
  await platform.stop();
});

async function connect(url: string) {
  const client = new WebPubSubClient(url, { autoReconnect: false });
  clients.push(client);
  const connected = new Promise<string>((resolve) => client.on("connected", (event) => resolve(event.connectionId)));
  await client.start();
  return { client, connectionId: await connected };
}

async function connectOperator(name: string) {
  const { host, key } = await platform.hostWithKey(name);
  const response = await fetch(`${platform.platformUrl}/api/operators/token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ hostId: host.id, key }) });
  expect(response.status).toBe(200);
  const { url } = (await response.json()) as { url: string };
  const connection = await connect(url);
  await eventually(() => platform.host(host.id), (h) => h?.status === "registered");
  return { host, ...connection };
}

/** A sandbox record as a launch leaves it, and its sidecar connected with a token the platform minted. */
async function connectSidecar() {
  const sandbox = testSandbox(platform.workspaceId, { ownerId: platform.owner.owner.userId });
  await sandboxStore(platform.store).create(sandbox);
  const run = await createTestRun(platform.store, platform.workspaceId, platform.owner.owner, { sandboxId: sandbox.id });
  const { url } = await platform.channel.platform.service.getClientAccessToken({ userId: sandboxUserId(sandbox.id), roles: [], expirationTimeInMinutes: 5 });
  return { sandbox, run, ...(await connect(url)) };
}

/** The last event the hub posted for `connectionId` of `type`, as captured on the wire. */
function captured(connectionId: string, type: string): CapturedHubEvent {
  const found = platform.hubEvents.filter((event) => event.headers["ce-connectionid"] === connectionId && event.headers["ce-type"] === type).at(-1);
  if (!found) throw new Error(`no ${type} captured for ${connectionId}`);
  return found;
}

let freshIds = 0;
/** The captured event with headers rewritten; a new ce-id unless told otherwise. Re-signed only when the connection id changes (with the hub's key, as the hub would). */
function doctored(event: CapturedHubEvent, headers: Record<string, string>, body?: unknown): CapturedHubEvent {
  const out: Record<string, string> = { ...event.headers, "ce-id": `forged-${++freshIds}`, ...headers };
  if (headers["ce-connectionid"]) out["ce-signature"] = signatureFor(headers["ce-connectionid"]);
  delete out["content-length"];
  return { headers: out, body: body === undefined ? event.body : Buffer.from(JSON.stringify(body)) };
}

function signatureFor(connectionId: string): string {
  const { authenticity } = platform.channel;
  if (authenticity.kind !== "access-key") throw new Error("the harness runs the embedded hub with an access key");
  return `sha256=${createHmac("sha256", authenticity.accessKey).update(connectionId).digest("hex")}`;
}

const checkIn = (phase: string) => ({ operatorVersion: "1.0.0", health: { phase } });

describe("channel events are trusted by the connection they come from", () => {
  it("drops a captured check-in replayed with its ce-id: the host keeps its newer facts", async () => {
    const { host, client, connectionId } = await connectOperator("replayed-host");
    await client.sendEvent(CHANNEL_EVENTS.checkIn, checkIn("first"), "json");
    const first = captured(connectionId, `azure.webpubsub.user.${CHANNEL_EVENTS.checkIn}`);
    await client.sendEvent(CHANNEL_EVENTS.checkIn, checkIn("second"), "json");
    const before = await platform.host(host.id);
    expect(before?.health).toEqual({ phase: "second" });

    const replay = await platform.postHubEvent(first);
    expect(replay.status).toBe(204); // acknowledged, as a hub retry of a handled event would be
    const after = await platform.host(host.id);
    expect(after?.health).toEqual({ phase: "second" });
    expect(after?.etag).toBe(before?.etag);
  });

  it("drops an event whose claimed user is another host's, on the captured connection or re-signed for the other's", async () => {
    const a = await connectOperator("honest-host");
    const b = await connectOperator("victim-host");
    await a.client.sendEvent(CHANNEL_EVENTS.checkIn, checkIn("a"), "json");
    await b.client.sendEvent(CHANNEL_EVENTS.checkIn, checkIn("b"), "json");
    const aCheckIn = captured(a.connectionId, `azure.webpubsub.user.${CHANNEL_EVENTS.checkIn}`);
    const victimBefore = await platform.host(b.host.id);
    const honestBefore = await platform.host(a.host.id);

    // A's signed connection, claiming to be B.
    expect((await platform.postHubEvent(doctored(aCheckIn, { "ce-userid": hostUserId(b.host.id) }, checkIn("forged")))).status).toBe(401);
    // B's connection (re-signed, as with the handler secret in managed-identity mode), claiming to be A.
    expect((await platform.postHubEvent(doctored(aCheckIn, { "ce-connectionid": b.connectionId }, checkIn("forged")))).status).toBe(401);
    // A's connection claiming a sandbox.
    expect((await platform.postHubEvent(doctored(aCheckIn, { "ce-userid": sandboxUserId(newId("sbx")) }, checkIn("forged")))).status).toBe(401);

    expect((await platform.host(b.host.id))?.etag).toBe(victimBefore?.etag);
    expect((await platform.host(a.host.id))?.etag).toBe(honestBefore?.etag);
    expect((await platform.host(b.host.id))?.health).toEqual({ phase: "b" });
  });

  it("lets forged events with the connection's next ce-ids take none of them: the real events with those ids are still applied", async () => {
    const { host, client, connectionId } = await connectOperator("counted-host");
    await client.sendEvent(CHANNEL_EVENTS.checkIn, checkIn("0"), "json");
    const template = captured(connectionId, `azure.webpubsub.user.${CHANNEL_EVENTS.checkIn}`);
    // The embedded hub numbers a connection's events; the next ones are easy to guess.
    const last = Number(template.headers["ce-id"]);
    expect(Number.isInteger(last)).toBe(true);
    const next = [1, 2, 3].map((step) => String(last + step));
    for (const ceId of next) {
      expect((await platform.postHubEvent(doctored(template, { "ce-id": ceId, "ce-userid": hostUserId(newId("host")) }, checkIn("forged")))).status).toBe(401);
    }
    for (const phase of ["1", "2", "3"]) {
      await client.sendEvent(CHANNEL_EVENTS.checkIn, checkIn(phase), "json");
      expect(captured(connectionId, `azure.webpubsub.user.${CHANNEL_EVENTS.checkIn}`).headers["ce-id"]).toBe(next[Number(phase) - 1]);
      expect((await platform.host(host.id))?.health).toEqual({ phase });
    }
    // A replay of a handled one is still acknowledged and changes nothing.
    const before = await platform.host(host.id);
    expect((await platform.postHubEvent(template)).status).toBe(204);
    expect((await platform.host(host.id))?.etag).toBe(before?.etag);
  });

  it("lets a refused batch with a sidecar's next ce-id take none of it: the sidecar's real batch with that id is still written", async () => {
    const mine = await connectSidecar();
    const theirs = await connectSidecar();
    await mine.client.sendEvent(SIDECAR_EVENTS.runEvents, outputEvents(mine.run.id, 1, 1), "json");
    const batch = captured(mine.connectionId, `azure.webpubsub.user.${SIDECAR_EVENTS.runEvents}`);
    const nextId = String(Number(batch.headers["ce-id"]) + 1);
    // Its own connection and user, but into another sandbox's run: refused, nothing written.
    expect((await platform.postHubEvent(doctored(batch, { "ce-id": nextId }, outputEvents(theirs.run.id, 1, 1)))).status).toBe(400);
    await mine.client.sendEvent(SIDECAR_EVENTS.runEvents, outputEvents(mine.run.id, 2, 3), "json");
    expect(captured(mine.connectionId, `azure.webpubsub.user.${SIDECAR_EVENTS.runEvents}`).headers["ce-id"]).toBe(nextId);
    expect((await runLogStore(platform.store).progress(mine.run.id))?.contiguousSeq ?? 0).toBe(3);
    expect((await runLogStore(platform.store).progress(theirs.run.id))?.contiguousSeq ?? 0).toBe(0);
  });

  it("drops events of a connection that has disconnected: the host stays dropped", async () => {
    const { host, client, connectionId } = await connectOperator("departed-host");
    await client.sendEvent(CHANNEL_EVENTS.checkIn, checkIn("alive"), "json");
    const last = captured(connectionId, `azure.webpubsub.user.${CHANNEL_EVENTS.checkIn}`);
    client.stop();
    await eventually(() => platform.host(host.id), (h) => h?.status === "disconnected");
    const before = await platform.host(host.id);

    expect((await platform.postHubEvent(doctored(last, {}, checkIn("ghost")))).status).toBe(401);
    expect((await platform.postHubEvent(doctored(captured(connectionId, "azure.webpubsub.sys.connected"), {}))).status).toBe(401);
    const after = await platform.host(host.id);
    expect(after?.status).toBe("disconnected");
    expect(after?.etag).toBe(before?.etag);
  });

  it("drops events of a connection it never admitted, and a connect replayed to admit one", async () => {
    const { host, client, connectionId } = await connectOperator("target-host");
    await client.sendEvent(CHANNEL_EVENTS.checkIn, checkIn("real"), "json");
    const template = captured(connectionId, `azure.webpubsub.user.${CHANNEL_EVENTS.checkIn}`);
    const before = await platform.host(host.id);

    // A connection id the hub signed for nobody we admitted.
    expect((await platform.postHubEvent(doctored(template, { "ce-connectionid": "never-admitted-connection" }, checkIn("forged")))).status).toBe(401);

    // The real connect replayed (new ce-id): already admitted, admits nothing new.
    const connectEvent = captured(connectionId, "azure.webpubsub.sys.connect");
    expect((await platform.postHubEvent(doctored(connectEvent, {}))).status).toBe(401);
    // A connect for a connection id the hub does not hold is recorded, but the hub is asked before anything of it is served.
    const ghost = "ghost-connection-id";
    expect((await platform.postHubEvent(doctored(connectEvent, { "ce-connectionid": ghost }))).status).toBe(204);
    expect((await platform.postHubEvent(doctored(template, { "ce-connectionid": ghost }, checkIn("ghost")))).status).toBe(401);
    expect((await platform.postHubEvent(doctored(captured(connectionId, "azure.webpubsub.sys.connected"), { "ce-connectionid": ghost }))).status).toBe(401);

    const after = await platform.host(host.id);
    expect(after?.etag).toBe(before?.etag);
    expect(after?.health).toEqual({ phase: "real" });
    expect((await channelConnectionStore(platform.store).get(connectionId))?.userId).toBe(hostUserId(host.id));
  });

  it("ignores a forged disconnected for a live connection: the operator stays registered and keeps being heard", async () => {
    const { host, client, connectionId } = await connectOperator("steady-host");
    await client.sendEvent(CHANNEL_EVENTS.checkIn, checkIn("one"), "json");
    const template = captured(connectionId, "azure.webpubsub.sys.connected");
    const forged = doctored(template, { "ce-type": "azure.webpubsub.sys.disconnected", "ce-eventname": "disconnected" }, { reason: "forged" });
    expect((await platform.postHubEvent(forged)).status).toBe(401);
    expect((await platform.host(host.id))?.status).toBe("registered");
    await client.sendEvent(CHANNEL_EVENTS.checkIn, checkIn("two"), "json");
    expect((await platform.host(host.id))?.health).toEqual({ phase: "two" });
  });

  it("drops run events a sidecar's connection writes into another sandbox's run, and a replayed batch", async () => {
    const mine = await connectSidecar();
    const theirs = await connectSidecar();
    await mine.client.sendEvent(SIDECAR_EVENTS.runEvents, outputEvents(mine.run.id, 1, 2), "json");
    expect((await runLogStore(platform.store).progress(mine.run.id))?.contiguousSeq ?? 0).toBe(2);
    const batch = captured(mine.connectionId, `azure.webpubsub.user.${SIDECAR_EVENTS.runEvents}`);

    // My connection, claiming the other sandbox, writing into its run.
    const intoTheirs = doctored(batch, { "ce-userid": sandboxUserId(theirs.sandbox.id) }, outputEvents(theirs.run.id, 1, 3));
    expect((await platform.postHubEvent(intoTheirs)).status).toBe(401);
    // Their own connection (re-signed), as them, into my run: a sidecar writes only its own sandbox's runs.
    const intoMine = doctored(batch, { "ce-connectionid": theirs.connectionId, "ce-userid": sandboxUserId(theirs.sandbox.id) }, outputEvents(mine.run.id, 3, 4));
    expect((await platform.postHubEvent(intoMine)).status).toBe(400);

    expect((await platform.postHubEvent(batch)).status).toBe(204);
    expect((await runLogStore(platform.store).progress(theirs.run.id))?.contiguousSeq ?? 0).toBe(0);
    expect((await runLogStore(platform.store).progress(mine.run.id))?.contiguousSeq ?? 0).toBe(2);
  });

  it("decides the same in another platform process sharing the store and hub", async () => {
    const { host, client, connectionId } = await connectOperator("shared-host");
    await client.sendEvent(CHANNEL_EVENTS.checkIn, checkIn("seen"), "json");
    const seen = captured(connectionId, `azure.webpubsub.user.${CHANNEL_EVENTS.checkIn}`);
    const { authenticity, platform: first } = platform.channel;
    if (authenticity.kind !== "access-key") throw new Error("access key expected");
    const second: Channel = await openChannel({ mode: "azure", connectionString: `Endpoint=${first.service.endpoint};AccessKey=${authenticity.accessKey};Version=1.0;` }, { eventHandlerUrl: "" });
    try {
      const post = (event: CapturedHubEvent) =>
        handleChannelEvent(new Request(`${platform.platformUrl}${EVENT_HANDLER_PATH}`, { method: "POST", headers: event.headers, body: new Uint8Array(event.body) }), second, platform.store);
      const before = await platform.host(host.id);
      expect((await post(seen)).status).toBe(204); // a repeat there too: acknowledged, not applied
      expect((await platform.host(host.id))?.etag).toBe(before?.etag);
      expect((await post(doctored(seen, { "ce-userid": hostUserId(newId("host")) }))).status).toBe(401);
      // A new event of the admitted connection, as its own user, is served by either process.
      expect((await post(doctored(seen, {}, checkIn("via second")))).status).toBe(204);
      expect((await platform.host(host.id))?.health).toEqual({ phase: "via second" });
    } finally {
      await second.close();
    }
  });

  it("refuses an event without a ce-id, or with header ids no hub would send, with a 400 before anything is looked up", async () => {
    const { client, connectionId } = await connectOperator("malformed-host");
    await client.sendEvent(CHANNEL_EVENTS.checkIn, checkIn("ok"), "json");
    const template = captured(connectionId, `azure.webpubsub.user.${CHANNEL_EVENTS.checkIn}`);
    const { "ce-id": _id, ...withoutId } = template.headers;
    expect((await platform.postHubEvent({ headers: withoutId, body: template.body })).status).toBe(400);
    expect((await platform.postHubEvent(doctored(template, { "ce-id": "x".repeat(300) }))).status).toBe(400);
    expect((await platform.postHubEvent(doctored(template, { "ce-connectionid": "c".repeat(300) }))).status).toBe(400);
    expect((await platform.postHubEvent(doctored(template, { "ce-id": "with space" }))).status).toBe(400);
  });

  it("closes a live connection it has no record of (admitted before records existed), which then connects again and is admitted", async () => {
    const { host, key } = await platform.hostWithKey("legacy-host");
    const response = await fetch(`${platform.platformUrl}/api/operators/token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ hostId: host.id, key }) });
    const { url } = (await response.json()) as { url: string };
    const client = new WebPubSubClient(url); // reconnects by itself, as the operators' client does
    clients.push(client);
    const connectionIds: string[] = [];
    client.on("connected", (event) => connectionIds.push(event.connectionId));
    await client.start();
    await eventually(async () => connectionIds.length, (n) => n === 1);
    await eventually(() => platform.host(host.id), (h) => h?.status === "registered");

    // As if admitted by a platform that kept no record.
    const container = await platform.store.container(CONTAINERS.channelConnections);
    await container.item(channelConnectionStore(platform.store).documentId(connectionIds[0]!), channelConnectionStore(platform.store).documentId(connectionIds[0]!)).delete();
    // A record read in the last moment is trusted that long (a record goes only by expiring, after a day of silence).
    await new Promise((resolve) => setTimeout(resolve, ADMISSION_TRUSTED_FOR_MS + 50));
    // The check-in on the unrecorded connection is dropped and the connection closed; the client
    // SDK connects again (a fresh connect, admitted and recorded) and sends it there.
    await client.sendEvent(CHANNEL_EVENTS.checkIn, checkIn("after reconnect"), "json");
    expect(connectionIds).toHaveLength(2);
    expect((await platform.host(host.id))?.health).toEqual({ phase: "after reconnect" });
    const dropped = platform.hubEvents.filter((event) => event.headers["ce-connectionid"] === connectionIds[0] && event.headers["ce-type"] === `azure.webpubsub.user.${CHANNEL_EVENTS.checkIn}`);
    expect(dropped).toHaveLength(1);
    expect((await channelConnectionStore(platform.store).get(connectionIds[1]!))?.userId).toBe(hostUserId(host.id));
  });

  it("logs a dropped event with what it claimed and why, and never its signature or body", async () => {
    const { client, connectionId } = await connectOperator("logged-host");
    await client.sendEvent(CHANNEL_EVENTS.checkIn, checkIn("logged"), "json");
    const template = captured(connectionId, `azure.webpubsub.user.${CHANNEL_EVENTS.checkIn}`);
    const lines: string[] = [];
    const spy = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      const forged = doctored(template, { "ce-userid": hostUserId(newId("host")) }, { operatorVersion: "1.0.0", health: { secretMarker: "body-marker-123" } });
      expect((await platform.postHubEvent(forged)).status).toBe(401);
    } finally {
      spy.mockRestore();
    }
    const dropped = lines.filter((line) => line.includes("channel.event_dropped"));
    expect(dropped).toHaveLength(1);
    expect(dropped[0]).toContain(connectionId);
    expect(dropped[0]).toContain("claimed user is not the one the connection was admitted as");
    expect(dropped[0]).not.toContain(template.headers["ce-signature"]!.slice("sha256=".length));
    expect(dropped[0]).not.toContain("body-marker-123");
  });
});
