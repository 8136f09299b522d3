import type { WebPubSubClient } from "@azure/web-pubsub-client";
import { describe, expect, it } from "vitest";
import type WebSocket from "ws";
import { MAX_FRAME_BYTES } from "./hub-connection";
import { accessKeyOf, collect, newClient, next, portOf, serviceClient, startEventHandler, startHub } from "./embedded-hub.fixture";

describe("embedded hub: reconnection", () => {
  it("lets a client with a getClientAccessUrl callback reconnect by itself after the hub restarts on the same port and key", async () => {
    const first = await startHub();
    const port = portOf(first);
    const accessKey = accessKeyOf(first);
    // The operator's pattern: a callback that fetches a fresh URL for every new connection.
    let urlsIssued = 0;
    const client = newClient(
      {
        getClientAccessUrl: async () => {
          urlsIssued += 1;
          return (await serviceClient(first).getClientAccessToken({ userId: "operator-1", expirationTimeInMinutes: 60 })).url;
        },
      },
      { reconnectRetryOptions: { retryDelayInMs: 50, maxRetryDelayInMs: 50, maxRetries: 100 } },
    );
    const connected = next(client, "connected");
    await client.start();
    const before = await connected;

    const disconnected = next(client, "disconnected");
    const reconnected = next(client, "connected");
    await first.stop();
    expect((await disconnected).message?.message).toBe("The hub is stopping.");

    const second = await startHub({ port, accessKey });
    const after = await reconnected;
    expect(after.connectionId).not.toBe(before.connectionId);
    expect(urlsIssued).toBeGreaterThanOrEqual(2);

    const message = next(client, "server-message");
    await serviceClient(second).sendToUser("operator-1", { command: "health" });
    expect((await message).message.data).toEqual({ command: "health" });
  });

  it("recovers a reliable connection after its socket drops: same connection id, no new connected event, nothing lost or doubled", async () => {
    const handler = await startEventHandler();
    const hub = await startHub({ eventHandlerUrl: handler.url });
    const service = serviceClient(hub);
    const client = newClient((await service.getClientAccessToken({ userId: "sidecar-1" })).url);
    const connected = next(client, "connected");
    await client.start();
    const { connectionId } = await connected;

    let reconnects = 0;
    client.on("connected", () => (reconnects += 1));
    client.on("disconnected", () => (reconnects += 1));
    const received = collect(client, "server-message", 3);
    await service.sendToUser("sidecar-1", "one", { contentType: "text/plain" });
    const drop = new Promise((resolve) => socketOf(client).once("close", resolve));
    // A network fault, as seen by the client: the TCP connection vanishes without a close frame.
    socketOf(client).terminate();
    await drop;
    await service.sendToUser("sidecar-1", "two", { contentType: "text/plain" });
    await service.sendToUser("sidecar-1", "three", { contentType: "text/plain" });

    const messages = (await received).map((event) => event.message);
    expect(messages.map((message) => [message.data, message.sequenceId])).toEqual([
      ["one", 1],
      ["two", 2],
      ["three", 3],
    ]);
    expect(await service.connectionExists(connectionId)).toBe(true);
    expect(reconnects).toBe(0);
    const types = handler.requests.map((request) => request.headers["ce-type"]);
    expect(types.filter((type) => type === "azure.webpubsub.sys.connected")).toHaveLength(1);
    expect(types).not.toContain("azure.webpubsub.sys.disconnected");
  });

  it("refuses to recover a connection it has ended (1008), so the SDK falls back to a fresh connection", async () => {
    const hub = await startHub();
    const service = serviceClient(hub);
    const client = newClient((await service.getClientAccessToken({ userId: "sidecar-1" })).url, { reconnectRetryOptions: { retryDelayInMs: 50 } });
    const connected = next(client, "connected");
    await client.start();
    const { connectionId } = await connected;

    const disconnected = next(client, "disconnected");
    const reconnected = next(client, "connected");
    // Too large a frame: the hub closes with 1009 and ends the connection. The SDK tries to recover
    // (it does for any code but 1008); the hub accepts that socket and closes it with 1008.
    await expect(client.sendEvent("upload", "z".repeat(MAX_FRAME_BYTES + 1), "text")).rejects.toThrow();
    expect((await disconnected).message?.message).toBe("The connection cannot be recovered; open a new one.");
    expect((await reconnected).connectionId).not.toBe(connectionId);
    expect(await service.connectionExists(connectionId)).toBe(false);
  });
});

/** Test scaffolding only: the SDK's underlying `ws` socket, to simulate a dropped network. */
function socketOf(client: WebPubSubClient): WebSocket {
  return (client as unknown as { _wsClient: { _socket: WebSocket } })._wsClient._socket;
}
