import { once } from "node:events";
import { describe, expect, it } from "vitest";
import WebSocket from "ws";
import { accessKeyOf, HUB, serviceClient, signJwt, startClient, startHub } from "./embedded-hub.fixture";

/**
 * Wire-level checks the SDK cannot show (it answers pongs silently and drops replayed duplicates),
 * made with a bare `ws` client speaking the JSON subprotocols.
 */
type Frame = Record<string, unknown>;

function open(url: string, protocol?: string, headers?: Record<string, string>) {
  const socket = new WebSocket(url, protocol ? [protocol] : [], { headers });
  const frames: Frame[] = [];
  const waiters: (() => void)[] = [];
  socket.on("message", (data) => {
    frames.push(JSON.parse(String(data)) as Frame);
    for (const wake of waiters.splice(0)) wake();
  });
  socket.on("error", () => undefined);
  /** Resolves once `count` frames have arrived in total. */
  const frameCount = async (count: number): Promise<Frame[]> => {
    while (frames.length < count) await new Promise<void>((resolve) => waiters.push(resolve));
    return frames;
  };
  return { socket, frames, frameCount };
}

describe("embedded hub: wire protocol", () => {
  it("refuses a raw client (no subprotocol) with 400 before the upgrade", async () => {
    const hub = await startHub();
    const { url } = await serviceClient(hub).getClientAccessToken({ userId: "u1" });
    const { socket } = open(url);
    const [, response] = (await once(socket, "unexpected-response")) as [unknown, { statusCode: number }];
    expect(response.statusCode).toBe(400);
    socket.terminate();
  });

  it("takes the token from an Authorization header on /client/?hub=, echoes json.webpubsub.azure.v1 and answers ping with pong", async () => {
    const hub = await startHub();
    const { token } = await serviceClient(hub).getClientAccessToken({ userId: "u1" });
    const client = open(`${hub.endpoint.replace("http", "ws")}/client/?hub=${HUB}`, "json.webpubsub.azure.v1", { Authorization: `Bearer ${token}` });
    await once(client.socket, "open");
    expect(client.socket.protocol).toBe("json.webpubsub.azure.v1");
    client.socket.send(JSON.stringify({ type: "ping" }));
    const [connected, pong] = await client.frameCount(2);
    expect(connected).toMatchObject({ type: "system", event: "connected", userId: "u1" });
    expect(connected).not.toHaveProperty("reconnectionToken");
    expect(pong).toEqual({ type: "pong" });
    client.socket.terminate();
  });

  it("replays only messages after the client's sequenceAck when a reliable connection is recovered, and refuses a wrong reconnection token with 1008", async () => {
    const hub = await startHub();
    const service = serviceClient(hub);
    const { url } = await service.getClientAccessToken({ userId: "sidecar-1" });
    const first = open(url, "json.reliable.webpubsub.azure.v1");
    const [connected] = await first.frameCount(1);
    const { connectionId, reconnectionToken } = connected as { connectionId: string; reconnectionToken: string };
    expect(reconnectionToken).toEqual(expect.any(String));

    for (const n of [1, 2, 3]) await service.sendToUser("sidecar-1", { n });
    const frames = await first.frameCount(4);
    expect(frames.slice(1).map((frame) => frame.sequenceId)).toEqual([1, 2, 3]);
    first.socket.send(JSON.stringify({ type: "sequenceAck", sequenceId: 2 }));
    // The ack and a ping travel in order; the pong proves the ack was processed.
    first.socket.send(JSON.stringify({ type: "ping" }));
    await first.frameCount(5);
    first.socket.terminate();
    await once(first.socket, "close");

    const wrong = open(`${url}&awps_connection_id=${connectionId}&awps_reconnection_token=not-it`, "json.reliable.webpubsub.azure.v1");
    const [code] = (await once(wrong.socket, "close")) as [number];
    expect(code).toBe(1008);
    expect(wrong.frames).toEqual([{ type: "system", event: "disconnected", message: "The connection cannot be recovered; open a new one." }]);

    const recovered = open(`${url}&awps_connection_id=${connectionId}&awps_reconnection_token=${encodeURIComponent(reconnectionToken)}`, "json.reliable.webpubsub.azure.v1");
    const [replayed] = await recovered.frameCount(1);
    expect(replayed).toMatchObject({ type: "message", from: "server", data: { n: 3 }, sequenceId: 3 });
    await service.sendToUser("sidecar-1", { n: 4 });
    const [, fourth] = await recovered.frameCount(2);
    expect(fourth).toMatchObject({ data: { n: 4 }, sequenceId: 4 });
    recovered.socket.close();
    await once(recovered.socket, "close");
  });

  it("accepts a REST token whose audience omits the query or is URL-decoded, and refuses one for another path", async () => {
    const hub = await startHub();
    const { client, connectionId } = await startClient((await serviceClient(hub).getClientAccessToken({ userId: "user 1/x" })).url);
    const path = `/api/hubs/${HUB}/users/user%201%2Fx/groups/g1`;
    const iat = Math.floor(Date.now() / 1000);
    const put = (aud: string) =>
      fetch(`${hub.endpoint}${path}?api-version=2024-12-01`, {
        method: "PUT",
        headers: { authorization: `Bearer ${signJwt(accessKeyOf(hub), { aud, iat, exp: iat + 60 })}` },
      });

    expect((await put(`${hub.endpoint}${path}`)).status).toBe(200);
    expect((await put(`${hub.endpoint.toUpperCase()}/api/hubs/${HUB}/users/user 1/x/groups/g1`)).status).toBe(200);
    const refused = await put(`${hub.endpoint}/api/hubs/${HUB}/users/someone-else/groups/g1`);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ code: "Unauthorized" });

    const members = await fetch(`${hub.endpoint}/api/hubs/${HUB}/groups/g1/connections`, {
      headers: { authorization: `Bearer ${signJwt(accessKeyOf(hub), { aud: `${hub.endpoint}/api/hubs/${HUB}/groups/g1/connections`, iat, exp: iat + 60 })}` },
    });
    expect(await members.json()).toEqual({ value: [{ connectionId, userId: "user 1/x" }] });
    client.stop();
  });
});
