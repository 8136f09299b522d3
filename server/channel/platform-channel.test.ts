import { WebPubSubClient } from "@azure/web-pubsub-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHANNEL_EVENTS, hostUserId } from "@/prisma-free-schema";
import { Reassembler, type TEnvelope, toEnvelopes, ZEnvelope } from "@/prisma-free-schema/channel-envelope";
import { CommandFailedError, CommandTimeoutError } from "./command-errors";
import { eventually } from "../testing/eventually";
import { type PlatformHarness, startPlatformHarness } from "./testing/platform-harness";

/**
 * The platform's side of the channel against the embedded hub, with a bare `WebPubSubClient`
 * playing the operator so each test can misbehave exactly as it needs to (the real operator
 * client is tested in operators/).
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

async function exchange(hostId: string, key: string) {
  return fetch(`${platform.platformUrl}/api/operators/token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ hostId, key }) });
}

/** An operator that connects and answers commands with `answer` (or stays silent when it returns undefined). */
async function connectOperator(name: string, answer: (command: TEnvelope) => TEnvelope[] | undefined = () => undefined) {
  const { host, key } = await platform.hostWithKey(name);
  const response = await exchange(host.id, key);
  expect(response.status).toBe(200);
  const { url } = (await response.json()) as { url: string };
  const client = new WebPubSubClient(url, { autoReconnect: false });
  clients.push(client);
  const commands = new Reassembler();
  client.on("server-message", (event) => {
    const whole = commands.accept(ZEnvelope.parse(event.message.data));
    if (!whole) return;
    const command = { ...whole, payload: whole.payload } as TEnvelope;
    for (const envelope of answer(command) ?? []) void client.sendEvent(CHANNEL_EVENTS.reply, envelope, "json");
  });
  await client.start();
  return { host, key, client };
}

const replyTo = (command: TEnvelope, payload: unknown) =>
  toEnvelopes({ kind: "reply", type: command.type, correlationId: command.correlationId, replyTo: null, payload });


describe("the platform channel", () => {
  it("registers a host on its operator's first connection and records its check-ins", async () => {
    const { host, client } = await connectOperator("presence-host");
    expect(host.status).toBe("awaiting-operator");
    expect((await eventually(() => platform.host(host.id), (h) => h?.status === "registered"))?.status).toBe("registered");

    await client.sendEvent(CHANNEL_EVENTS.checkIn, { operatorVersion: "0.1.0", health: { engine: "podman 5", containers: 3 } }, "json");
    const checkedIn = await platform.host(host.id);
    expect(checkedIn).toMatchObject({ status: "registered", operatorVersion: "0.1.0", health: { engine: "podman 5", containers: 3 } });
    expect(checkedIn?.updatedAt).toBe(host.updatedAt); // presence is not an edit

    client.stop();
    expect((await eventually(() => platform.host(host.id), (h) => h?.status === "disconnected"))?.status).toBe("disconnected");
  });

  it("refuses a check-in that is not valid and changes nothing", async () => {
    const { host, client } = await connectOperator("bad-checkin");
    await eventually(() => platform.host(host.id), (h) => h?.status === "registered");
    const before = await platform.host(host.id);
    await expect(client.sendEvent(CHANNEL_EVENTS.checkIn, { operatorVersion: "", health: "fine" }, "json")).rejects.toBeTruthy();
    expect((await platform.host(host.id))?.etag).toBe(before?.etag);
  });

  it("matches a reply to its command by correlation id", async () => {
    const { host } = await connectOperator("echo-host", (command) => replyTo(command, { echoed: command.payload }));
    await expect(platform.channel.platform.send(hostUserId(host.id), "host.echo", { n: 1 })).resolves.toEqual({ echoed: { n: 1 } });
    const many = await Promise.all(Array.from({ length: 20 }, (_, n) => platform.channel.platform.send(hostUserId(host.id), "host.echo", { n })));
    expect(many.map((reply) => (reply as { echoed: { n: number } }).echoed.n)).toEqual(Array.from({ length: 20 }, (_, n) => n));
  });

  it("reassembles a 1 MiB reply from its chunks, and a 1 MiB command reaches the operator whole", async () => {
    const big = "x".repeat(1024 * 1024);
    const { host } = await connectOperator("big-host", (command) => replyTo(command, { size: (command.payload as { blob?: string })?.blob?.length ?? 0, blob: big }));
    const reply = (await platform.channel.platform.send(hostUserId(host.id), "host.big", { blob: big })) as { size: number; blob: string };
    expect(reply.size).toBe(big.length);
    expect(reply.blob).toBe(big);
  });

  it("fails with a typed timeout when the operator stays silent, and with a typed error when it answers with one", async () => {
    const { host } = await connectOperator("silent-host");
    const silent = platform.channel.platform.send(hostUserId(host.id), "host.health", {}, { timeoutMs: 300 });
    await expect(silent).rejects.toBeInstanceOf(CommandTimeoutError);
    // A deadline shorter than the send itself still fails as a typed timeout (and never as an unhandled rejection).
    await expect(platform.channel.platform.send(hostUserId(host.id), "host.health", {}, { timeoutMs: 1 })).rejects.toBeInstanceOf(CommandTimeoutError);

    const { host: failing } = await connectOperator("failing-host", (command) =>
      toEnvelopes({ kind: "reply", type: command.type, correlationId: command.correlationId, replyTo: null, error: { code: "unknown_command", message: "no handler for host.nope" } }),
    );
    const failed = platform.channel.platform.send(hostUserId(failing.id), "host.nope", {});
    await expect(failed).rejects.toBeInstanceOf(CommandFailedError);
    await expect(failed).rejects.toMatchObject({ remoteCode: "unknown_command" });
  });

  it("never yields a partial result: a reply missing a chunk times out", async () => {
    const { host } = await connectOperator("lossy-host", (command) => replyTo(command, "y".repeat(300 * 1024)).filter((envelope) => envelope.chunk.index !== 2));
    const lossy = platform.channel.platform.send(hostUserId(host.id), "host.lossy", {}, { timeoutMs: 1500 });
    await expect(lossy).rejects.toMatchObject({ code: "COMMAND_TIMEOUT", partial: { received: 4, count: 5 } });
  });

  it("drops a reply with an unknown correlation id, and one from a user the command was not sent to", async () => {
    const { client } = await connectOperator("stray-host");
    const stray = toEnvelopes({ kind: "reply", type: "host.health", correlationId: crypto.randomUUID(), replyTo: null, payload: {} })[0]!;
    await client.sendEvent(CHANNEL_EVENTS.reply, stray, "json");

    // A second operator answers the first one's command: it must not count.
    let captured: TEnvelope | undefined;
    const { host: target } = await connectOperator("target-host", (command) => {
      captured = command;
      return undefined;
    });
    const pending = platform.channel.platform.send(hostUserId(target.id), "host.health", {}, { timeoutMs: 1500 });
    await eventually(async () => captured, Boolean);
    await client.sendEvent(CHANNEL_EVENTS.reply, replyTo(captured!, { forged: true })[0]!, "json");
    await expect(pending).rejects.toBeInstanceOf(CommandTimeoutError);
  });

  it("lets a platform process's own connection in, but takes nothing it sends: a reply from it settles no command", async () => {
    let captured: TEnvelope | undefined;
    const { host: target } = await connectOperator("peer-target-host", (command) => {
      captured = command;
      return undefined;
    });
    const pending = platform.channel.platform.send(hostUserId(target.id), "host.health", {}, { timeoutMs: 1500 });
    await eventually(async () => captured, Boolean);
    const { url } = await platform.channel.platform.service.getClientAccessToken({ userId: "platform:0123456789abcdef", roles: [] });
    const peer = new WebPubSubClient(url, { autoReconnect: false, messageRetryOptions: { maxRetries: 0 } });
    clients.push(peer);
    await peer.start();
    await expect(peer.sendEvent(CHANNEL_EVENTS.reply, replyTo(captured!, { forged: true })[0]!, "json")).rejects.toThrow();
    await expect(pending).rejects.toBeInstanceOf(CommandTimeoutError);
  });

  it("refuses an event that was not signed by the hub", async () => {
    const forged = await fetch(`${platform.platformUrl}/api/channel/events`, {
      method: "POST",
      headers: {
        "ce-awpsversion": "1.0",
        "ce-specversion": "1.0",
        "ce-type": "azure.webpubsub.sys.connected",
        "ce-hub": "discoparrot",
        "ce-connectionId": "forged",
        "ce-id": "1",
        "ce-userId": "host:host_aaaaaaaaaaaaaaaaaaaa",
        "ce-signature": "sha256=00",
        "webhook-request-origin": "127.0.0.1",
        "content-type": "application/json",
      },
      body: "{}",
    });
    expect(forged.status).toBe(401);
  });
});
