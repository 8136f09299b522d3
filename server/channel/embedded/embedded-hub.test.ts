import { randomBytes } from "node:crypto";
import { SendMessageError, WebPubSubJsonProtocol } from "@azure/web-pubsub-client";
import { describe, expect, it } from "vitest";
import {
  accessKeyOf,
  collect,
  HUB,
  newClient,
  next,
  portOf,
  serviceClient,
  signJwt,
  startClient,
  startHub,
} from "./embedded-hub.fixture";
import { MAX_MESSAGE_BYTES } from "./hub-rest-api";

async function clientUrl(hub: { connectionString: string }, userId: string, roles?: string[]): Promise<string> {
  return (await serviceClient(hub).getClientAccessToken({ userId, roles, expirationTimeInMinutes: 5 })).url;
}

describe("embedded hub: messages to clients", () => {
  it("publishes a loopback connection string with a random key of at least 32 characters", async () => {
    const hub = await startHub();
    expect(hub.connectionString).toMatch(/^Endpoint=http:\/\/127\.0\.0\.1:\d+;AccessKey=[^;]{32,};Version=1\.0;$/);
    const other = await startHub();
    expect(accessKeyOf(other)).not.toBe(accessKeyOf(hub));
    expect((await fetch(`${hub.endpoint}/api/health`, { method: "HEAD" })).status).toBe(200);
  });

  it("fails to start with a clear message on a port in use or a weak access key", async () => {
    const hub = await startHub();
    await expect(startHub({ port: portOf(hub) })).rejects.toThrow(/could not listen on 127\.0\.0\.1:\d+ \(EADDRINUSE\)/);
    await expect(startHub({ accessKey: "short" })).rejects.toThrow(/at least 32 characters/);
  });

  it("delivers sendToUser text, JSON and binary to the user's client with their data types, numbered for the reliable protocol", async () => {
    const hub = await startHub();
    const service = serviceClient(hub);
    const { client, userId } = await startClient(await clientUrl(hub, "operator-1"));
    expect(userId).toBe("operator-1");

    const received = collect(client, "server-message", 3);
    await service.sendToUser("operator-1", "launch sandbox", { contentType: "text/plain" });
    await service.sendToUser("operator-1", { command: "launch", correlationId: "c-1" });
    await service.sendToUser("operator-1", new Uint8Array([0, 1, 2, 255]));

    const [text, json, binary] = (await received).map((event) => event.message);
    expect(text).toMatchObject({ dataType: "text", data: "launch sandbox", sequenceId: 1 });
    expect(json).toMatchObject({ dataType: "json", data: { command: "launch", correlationId: "c-1" }, sequenceId: 2 });
    expect(binary).toMatchObject({ dataType: "binary", sequenceId: 3 });
    expect([...new Uint8Array(binary!.data as ArrayBuffer)]).toEqual([0, 1, 2, 255]);
  });

  it("accepts any casing of the hub name and routes sendToAll, sendToConnection and excluded connections", async () => {
    const hub = await startHub();
    const url = await clientUrl({ connectionString: hub.connectionString }, "operator-1");
    const a = await startClient(url);
    const b = await startClient((await serviceClient(hub, "DiscoParrot").getClientAccessToken({ userId: "operator-2" })).url);
    const service = serviceClient(hub, "DISCOPARROT");

    const toB = next(b.client, "server-message");
    const toA = next(a.client, "server-message");
    await service.sendToAll({ to: "all but a" }, { excludedConnections: [a.connectionId] });
    await service.sendToConnection(a.connectionId, "only a", { contentType: "text/plain" });
    expect((await toB).message.data).toEqual({ to: "all but a" });
    expect((await toA).message.data).toBe("only a");
  });

  it("refuses a 1 MiB + 1 byte REST message with 413 and delivers exactly 1 MiB and a 60 KiB binary intact", async () => {
    const hub = await startHub();
    const service = serviceClient(hub);
    const { client } = await startClient(await clientUrl(hub, "sidecar-1"));

    const tooLarge = service.sendToUser("sidecar-1", "x".repeat(MAX_MESSAGE_BYTES + 1), { contentType: "text/plain" });
    await expect(tooLarge).rejects.toMatchObject({ statusCode: 413 });

    const received = collect(client, "server-message", 2);
    const chunk = randomBytes(60 * 1024);
    await service.sendToUser("sidecar-1", chunk);
    await service.sendToUser("sidecar-1", "y".repeat(MAX_MESSAGE_BYTES), { contentType: "text/plain" });
    const [binary, text] = (await received).map((event) => event.message);
    expect(Buffer.from(binary!.data as ArrayBuffer).equals(chunk)).toBe(true);
    expect((text!.data as string).length).toBe(MAX_MESSAGE_BYTES);
  });

  it("closes a client whose WebSocket message exceeds 1 MiB (close code 1009), ending the connection", async () => {
    const hub = await startHub();
    const { client, connectionId } = await startClient(await clientUrl(hub, "sidecar-1"), { protocol: WebPubSubJsonProtocol(), autoReconnect: false });
    const disconnected = next(client, "disconnected");
    await expect(client.sendEvent("big", "z".repeat(MAX_MESSAGE_BYTES + 1), "text")).rejects.toBeInstanceOf(SendMessageError);
    expect((await disconnected).connectionId).toBe(connectionId);
    expect(await serviceClient(hub).connectionExists(connectionId)).toBe(false);
  });
});

describe("embedded hub: roles and isolation", () => {
  it("lets a token without roles neither join nor publish to a group, and it never sees another user's traffic", async () => {
    const hub = await startHub();
    const service = serviceClient(hub);
    const sidecarA = await startClient(await clientUrl(hub, "sidecar-a"));
    const sidecarB = await startClient(await clientUrl(hub, "sidecar-b", ["webpubsub.joinLeaveGroup.sandbox-b"]));
    await sidecarB.client.joinGroup("sandbox-b");

    await expect(sidecarA.client.joinGroup("sandbox-b")).rejects.toMatchObject({ errorDetail: { name: "Forbidden" } });
    await expect(sidecarA.client.sendToGroup("sandbox-b", "hi", "text")).rejects.toMatchObject({ errorDetail: { name: "Forbidden" } });

    let groupMessagesForA = 0;
    sidecarA.client.on("group-message", () => (groupMessagesForA += 1));
    const firstForA = next(sidecarA.client, "server-message");
    // A REST send to a group reaches members as a server message (from: "server").
    const forB = collect(sidecarB.client, "server-message", 2);
    await service.sendToUser("sidecar-b", "secret for b", { contentType: "text/plain" });
    await service.group("sandbox-b").sendToAll("group secret", { contentType: "text/plain" });
    await service.sendToUser("sidecar-a", "marker", { contentType: "text/plain" });

    expect((await forB).map((event) => event.message.data)).toEqual(["secret for b", "group secret"]);
    // Per-connection order: had anything for b reached a, it would have arrived before the marker.
    expect((await firstForA).message.data).toBe("marker");
    expect(groupMessagesForA).toBe(0);
  });

  it("lets a publish-only sidecar send to its own sandbox group but not join it or touch another", async () => {
    const hub = await startHub();
    const operator = await startClient(await clientUrl(hub, "operator-1", ["webpubsub.joinLeaveGroup", "webpubsub.sendToGroup"]));
    await operator.client.joinGroup("sandbox-1");
    const sidecar = await startClient(await clientUrl(hub, "sidecar-1", ["webpubsub.sendToGroup.sandbox-1"]));

    const relayed = next(operator.client, "group-message");
    await sidecar.client.sendToGroup("sandbox-1", { event: "progress", step: 3 }, "json", { noEcho: true });
    expect((await relayed).message).toMatchObject({ group: "sandbox-1", fromUserId: "sidecar-1", dataType: "json", data: { event: "progress", step: 3 } });

    await expect(sidecar.client.joinGroup("sandbox-1")).rejects.toMatchObject({ errorDetail: { name: "Forbidden" } });
    await expect(sidecar.client.sendToGroup("sandbox-2", "x", "text")).rejects.toMatchObject({ errorDetail: { name: "Forbidden" } });
  });

  it("echoes group messages unless noEcho, and answers a repeated ackId with Duplicate without acting twice", async () => {
    const hub = await startHub();
    const { client } = await startClient(await clientUrl(hub, "operator-1", ["webpubsub.joinLeaveGroup", "webpubsub.sendToGroup"]));
    await client.joinGroup("g1");

    const echoed = next(client, "group-message");
    await client.sendToGroup("g1", "echo me", "text");
    expect((await echoed).message.data).toBe("echo me");

    const first = await client.sendToGroup("g1", "once", "text", { ackId: 4242 });
    const seen: unknown[] = [];
    client.on("group-message", (event) => seen.push(event.message.data));
    const again = await client.sendToGroup("g1", "twice?", "text", { ackId: 4242 });
    expect(first.isDuplicated).toBe(false);
    expect(again.isDuplicated).toBe(true);
    const after = next(client, "group-message");
    await client.sendToGroup("g1", "after", "text");
    await after;
    expect(seen).toEqual(["after"]);
  });
});

describe("embedded hub: tokens", () => {
  const now = () => Math.floor(Date.now() / 1000);

  it("accepts a token signed with the key and refuses an expired one, another key's and another audience's", async () => {
    const hub = await startHub();
    const key = accessKeyOf(hub);
    const base = `ws://127.0.0.1:${portOf(hub)}/client/hubs/${HUB}`;
    const aud = `http://127.0.0.1:${portOf(hub)}/client/hubs/${HUB}`;
    const url = (token: string) => `${base}?access_token=${token}`;

    const good = await startClient(url(signJwt(key, { aud, sub: "u1", iat: now(), exp: now() + 60 })));
    expect(good.userId).toBe("u1");

    const refused = [
      signJwt(key, { aud, sub: "u1", iat: now() - 3600, exp: now() - 6 * 60 }),
      signJwt(`${key}-other`, { aud, sub: "u1", iat: now(), exp: now() + 60 }),
      signJwt(key, { aud: `http://127.0.0.1:${portOf(hub)}/client/hubs/another`, sub: "u1", iat: now(), exp: now() + 60 }),
      signJwt(key, { aud, sub: "u1" }),
    ];
    for (const token of refused) {
      await expect(newClient(url(token)).start()).rejects.toThrow(/401|Failed to start/);
    }
  });

  it("refuses REST calls signed with another key with 401", async () => {
    const hub = await startHub();
    const forged = serviceClient({ connectionString: hub.connectionString.replace(/AccessKey=[^;]+/, `AccessKey=${"k".repeat(40)}`) });
    await expect(forged.sendToUser("u1", "x", { contentType: "text/plain" })).rejects.toMatchObject({ statusCode: 401 });
  });
});

describe("embedded hub: REST data plane", () => {
  it("closes a connection with system/disconnected, which the client reports as disconnected", async () => {
    const hub = await startHub();
    const service = serviceClient(hub);
    const { client, connectionId } = await startClient(await clientUrl(hub, "operator-1"), { autoReconnect: false });
    expect(await service.connectionExists(connectionId)).toBe(true);

    const disconnected = next(client, "disconnected");
    await service.closeConnection(connectionId, { reason: "host retired" });
    const event = await disconnected;
    expect(event.connectionId).toBe(connectionId);
    expect(event.message?.message).toBe("host retired");
    expect(await service.connectionExists(connectionId)).toBe(false);
  });

  it("manages groups for users and connections and reports existence with the SDK's expected statuses", async () => {
    const hub = await startHub();
    const service = serviceClient(hub);
    const a = await startClient(await clientUrl(hub, "operator-1"));
    const b = await startClient(await clientUrl(hub, "operator-2"), { autoReconnect: false });
    const group = service.group("host-1");

    expect(await service.userExists("operator-1")).toBe(true);
    expect(await service.userExists("nobody")).toBe(false);
    expect(await service.groupExists("host-1")).toBe(false);

    await group.addUser("operator-1");
    await group.addConnection(b.connectionId);
    expect(await service.groupExists("host-1")).toBe(true);
    const both = [next(a.client, "server-message"), next(b.client, "server-message")];
    await group.sendToAll({ n: 1 });
    expect((await Promise.all(both)).map((e) => e.message.data)).toEqual([{ n: 1 }, { n: 1 }]);

    await group.removeUser("operator-1");
    await group.removeConnection(b.connectionId);
    expect(await service.groupExists("host-1")).toBe(false);
    await expect(group.addConnection("no-such-connection")).rejects.toMatchObject({ statusCode: 404 });

    const closed = next(b.client, "disconnected");
    await service.closeUserConnections("operator-2");
    await closed;
    expect(await service.userExists("operator-2")).toBe(false);
  });

  it("answers operations it does not implement with 501 and an error body", async () => {
    const hub = await startHub();
    const service = serviceClient(hub);
    await expect(service.grantPermission("c1", "sendToGroup", { targetName: "g" })).rejects.toMatchObject({ statusCode: 501, code: "NotImplemented" });
    await expect(service.sendToAll("x", { contentType: "text/plain", filter: "userId ne 'a'" })).rejects.toMatchObject({ statusCode: 501 });
  });
});
