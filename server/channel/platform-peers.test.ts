import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { platformRunGroup, type TRunEvent } from "@/prisma-free-schema";
import { type TEnvelope, toEnvelopes } from "@/prisma-free-schema/channel-envelope";
import { eventually } from "../testing/eventually";
import { newClient, next, serviceClient, startEventHandler, startHub } from "./embedded/embedded-hub.fixture";
import { PlatformChannel } from "./platform-channel";
import { type PeerHandlers, PlatformPeers } from "./platform-peers";

/**
 * Platform processes as peers on one hub (the embedded one, which behaves as Azure's): what they
 * pass each other, and what no one else on the hub can see or send them.
 */
async function sharedHub() {
  const handler = await startEventHandler();
  const hub = await startHub({ eventHandlerUrl: handler.url });
  return serviceClient(hub);
}

const running: PlatformPeers[] = [];
afterEach(() => {
  for (const peers of running.splice(0)) peers.stop();
});

/** A platform process's peers on the hub, connected, with what it was told; stopped after the test. */
async function connectedPeer(service: ReturnType<typeof serviceClient>) {
  const seen = { events: [] as TRunEvent[], replies: [] as { from: string; envelope: TEnvelope }[], resyncs: 0 };
  const handlers: PeerHandlers = {
    reply: (from, envelope) => seen.replies.push({ from, envelope }),
    runEvents: (events) => seen.events.push(...events),
    resync: () => (seen.resyncs += 1),
  };
  const peers = PlatformPeers.start(service, handlers, { resyncMs: 600_000 });
  running.push(peers);
  await peers.connected;
  return { peers, seen };
}

const output = (runId: string, seq: number): TRunEvent => ({ runId, seq, turn: 1, at: new Date().toISOString(), kind: "output", stream: "stdout", text: `line ${seq}\n` });
const runId = () => `run_${randomUUID().replace(/-/g, "").slice(0, 20)}`;

describe("platform processes on one hub", () => {
  it("relay a run's events only to the processes watching it, never back to the one that stored them", async () => {
    const service = await sharedHub();
    const [a, b] = await Promise.all([connectedPeer(service), connectedPeer(service)]);
    const watched = runId();
    const other = runId();
    await a.peers.join(watched);
    await b.peers.join(watched);
    b.peers.relay(other, [output(other, 1)]);
    b.peers.relay(watched, [output(watched, 1), output(watched, 2)]);
    await eventually(async () => a.seen.events.length, (count) => count >= 2);
    expect(a.seen.events.map((event) => [event.runId, event.seq])).toEqual([
      [watched, 1],
      [watched, 2],
    ]);
    // B watches the run too, but what B stored is not sent back to B.
    a.peers.relay(watched, [output(watched, 3)]);
    await eventually(async () => b.seen.events.length, (count) => count >= 1);
    expect(b.seen.events.map((event) => event.seq)).toEqual([3]);
    expect(a.seen.events.map((event) => event.seq)).toEqual([1, 2]);

    // Once A leaves the run, it hears no more of it.
    a.peers.leave(watched);
    await new Promise((resolve) => setTimeout(resolve, 100));
    b.peers.relay(watched, [output(watched, 4)]);
    a.peers.relay(watched, [output(watched, 5)]);
    await eventually(async () => b.seen.events.length, (count) => count >= 2);
    expect(a.seen.events.map((event) => event.seq)).toEqual([1, 2]);
  });

  it("pass a reply on to the process named in it, saying which hub user it came from", async () => {
    const service = await sharedHub();
    const [a, b] = await Promise.all([connectedPeer(service), connectedPeer(service)]);
    const envelope = toEnvelopes({ kind: "reply", type: "host.health", correlationId: randomUUID(), replyTo: a.peers.address, payload: { ok: true } })[0]!;
    await b.peers.forwardReply(a.peers.address, "host:host_abc", envelope);
    await eventually(async () => a.seen.replies.length, (count) => count === 1);
    expect(a.seen.replies).toEqual([{ from: "host:host_abc", envelope }]);
    expect(b.seen.replies).toEqual([]);
  });

  it("a client with an operator's or a sidecar's grant can neither join a run's group nor send to one, and hears no relay", async () => {
    const service = await sharedHub();
    const [a, b] = await Promise.all([connectedPeer(service), connectedPeer(service)]);
    const watched = runId();
    await a.peers.join(watched);
    // The grant operators and sidecars get: their own user id, no roles.
    const { url } = await service.getClientAccessToken({ userId: "sandbox:sbx_intruder0000000000", roles: [] });
    const intruder = newClient(url, { autoReconnect: false });
    const heard: unknown[] = [];
    intruder.on("server-message", (event) => heard.push(event.message.data));
    intruder.on("group-message", (event) => heard.push(event.message.data));
    await intruder.start();
    await expect(intruder.joinGroup(platformRunGroup(watched))).rejects.toThrow();
    await expect(intruder.sendToGroup(platformRunGroup(watched), { kind: "run-events", origin: b.peers.address, events: [output(watched, 9)] }, "json")).rejects.toThrow();
    // Nor can it pose as a platform: replies for a platform go to that platform's own user.
    b.peers.relay(watched, [output(watched, 1)]);
    await eventually(async () => a.seen.events.length, (count) => count === 1);
    expect(a.seen.events.map((event) => event.seq)).toEqual([1]);
    expect(heard).toEqual([]);
  });

  it("drop a server message that is not a peer message, and go on with the next", async () => {
    const service = await sharedHub();
    const a = await connectedPeer(service);
    const watched = runId();
    await a.peers.join(watched);
    await service.sendToUser(a.peers.address, { kind: "reply", from: "host:x", envelope: { not: "an envelope" } });
    await service.group(platformRunGroup(watched)).sendToAll({ kind: "run-events", origin: "platform:0123456789abcdef", events: [output(watched, 1), output(runId(), 2)] });
    await service.group(platformRunGroup(watched)).sendToAll({ kind: "run-events", origin: "platform:0123456789abcdef", events: [output(watched, 3)] });
    await eventually(async () => a.seen.events.length, (count) => count >= 1);
    expect(a.seen.events.map((event) => event.seq)).toEqual([3]);
    expect(a.seen.replies).toEqual([]);
  });

  it("after the hub drops a process's connection, it connects again, rejoins its runs and reads them again from the store", async () => {
    const service = await sharedHub();
    const [a, b] = await Promise.all([connectedPeer(service), connectedPeer(service)]);
    const watched = runId();
    await a.peers.join(watched);
    await service.closeUserConnections(a.peers.address);
    await eventually(async () => a.seen.resyncs, (count) => count >= 1);
    expect(a.seen.resyncs).toBe(1);
    b.peers.relay(watched, [output(watched, 1)]);
    await eventually(async () => a.seen.events.length, (count) => count === 1);
    expect(a.seen.events.map((event) => event.seq)).toEqual([1]);
  });
});

describe("a reply posted to one process", () => {
  const envelopeTo = (replyTo: string | null) => toEnvelopes({ kind: "reply", type: "host.health", correlationId: randomUUID(), replyTo, payload: {} })[0]!;

  it("is passed on only when it names another platform process; a reply naming anyone else is dropped, never sent to them", async () => {
    const service = await sharedHub();
    const channel = new PlatformChannel(service);
    const forwarded: { to: string; from: string }[] = [];
    channel.joinPeers({ address: "platform:00000000aaaaaaaa", forwardReply: async (to, from) => void forwarded.push({ to, from }) });
    try {
      channel.acceptReply("host:host_one", envelopeTo("platform:11111111bbbbbbbb"));
      channel.acceptReply("host:host_one", envelopeTo("host:host_two"));
      channel.acceptReply("host:host_one", envelopeTo("sandbox:sbx_someone"));
      channel.acceptReply("host:host_one", envelopeTo("platform:../../x"));
      channel.acceptReply("host:host_one", envelopeTo("platform:00000000aaaaaaaa"));
      channel.acceptReply("host:host_one", envelopeTo(null));
      expect(forwarded).toEqual([{ to: "platform:11111111bbbbbbbb", from: "host:host_one" }]);
    } finally {
      channel.close();
    }
  });

  it("names this process as the reply address of its commands once it has peers", async () => {
    const service = await sharedHub();
    const channel = new PlatformChannel(service);
    const sent: unknown[] = [];
    const client = newClient((await service.getClientAccessToken({ userId: "host:host_listener", roles: [] })).url, { autoReconnect: false });
    client.on("server-message", (event) => sent.push(event.message.data));
    await client.start();
    channel.joinPeers({ address: "platform:00000000aaaaaaaa", forwardReply: async () => undefined });
    try {
      const command = next(client, "server-message");
      void channel.send("host:host_listener", "host.health", {}, { timeoutMs: 200 }).catch(() => undefined);
      await command;
      expect(sent[0]).toMatchObject({ kind: "command", replyTo: "platform:00000000aaaaaaaa" });
    } finally {
      channel.close();
    }
  });
});
