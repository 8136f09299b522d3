import { createHmac } from "node:crypto";
import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { accessKeyOf, HUB, newClient, next, portOf, serviceClient, startClient, startEventHandler, startHub } from "./embedded-hub.fixture";

const json = (body: unknown) => ({ status: 200, headers: { "content-type": "application/json; charset=utf-8" }, body: JSON.stringify(body) });

describe("embedded hub: upstream CloudEvents", () => {
  it("validates the handler once, then sends connect with the claims, connected, user events and disconnected, all signed", async () => {
    const handler = await startEventHandler((request) =>
      request.headers["ce-type"] === "azure.webpubsub.user.status" ? json({ received: JSON.parse(request.body.toString()) }) : undefined,
    );
    const hub = await startHub({ eventHandlerUrl: handler.url });
    const service = serviceClient(hub);
    const { url } = await service.getClientAccessToken({ userId: "operator-1", roles: ["webpubsub.joinLeaveGroup.host-1"], expirationTimeInMinutes: 5 });
    const { client, connectionId } = await startClient(url);

    const connect = await handler.waitFor(handler.ofType("azure.webpubsub.sys.connect"), "connect");
    await handler.waitFor(handler.ofType("azure.webpubsub.sys.connected"), "connected");
    const [validation] = handler.requests;
    expect(validation?.method).toBe("OPTIONS");
    expect(validation?.headers["webhook-request-origin"]).toBe(`127.0.0.1:${portOf(hub)}`);
    expect(validation?.headers["ce-awpsversion"]).toBe("1.0");

    const connectBody = JSON.parse(connect.body.toString());
    expect(connectBody.claims).toMatchObject({ sub: ["operator-1"], role: ["webpubsub.joinLeaveGroup.host-1"] });
    expect(connectBody.subprotocols).toEqual(["json.reliable.webpubsub.azure.v1"]);
    expect(connectBody.query).not.toHaveProperty("access_token");
    expect(connectBody.headers).not.toHaveProperty("authorization");
    const signature = `sha256=${createHmac("sha256", accessKeyOf(hub)).update(connectionId).digest("hex")}`;
    expect(connect.headers).toMatchObject({
      "ce-specversion": "1.0",
      "ce-awpsversion": "1.0",
      "ce-hub": HUB,
      "ce-connectionid": connectionId,
      "ce-userid": "operator-1",
      "ce-eventname": "connect",
      "ce-subprotocol": "json.reliable.webpubsub.azure.v1",
      "ce-source": `/hubs/${HUB}/client/${connectionId}`,
      "ce-signature": signature,
      "webhook-request-origin": `127.0.0.1:${portOf(hub)}`,
    });

    // The handler's answer reaches the client as a server message before the ack resolves sendEvent.
    const order: string[] = [];
    const answer = next(client, "server-message").then((event) => {
      order.push("message");
      return event;
    });
    await client.sendEvent("status", { phase: "running" }, "json");
    order.push("ack");
    expect((await answer).message).toMatchObject({ dataType: "json", data: { received: { phase: "running" } } });
    expect(order).toEqual(["message", "ack"]);
    const status = await handler.waitFor(handler.ofType("azure.webpubsub.user.status"), "the user event");
    expect(status.headers["content-type"]).toBe("application/json");
    expect(status.headers["ce-eventname"]).toBe("status");
    expect(status.headers["ce-signature"]).toBe(signature);
    expect(JSON.parse(status.body.toString())).toEqual({ phase: "running" });

    await client.sendEvent("log", "line 1", "text");
    const log = await handler.waitFor(handler.ofType("azure.webpubsub.user.log"), "the text event");
    expect(log.headers["content-type"]).toBe("text/plain");
    expect(log.body.toString()).toBe("line 1");

    client.stop();
    const disconnected = await handler.waitFor(handler.ofType("azure.webpubsub.sys.disconnected"), "disconnected");
    expect(JSON.parse(disconnected.body.toString()).reason).toEqual(expect.any(String));
    expect(disconnected.headers["ce-connectionid"]).toBe(connectionId);
    expect(handler.requests.filter((request) => request.method === "OPTIONS")).toHaveLength(1);
    const types = handler.requests.map((request) => request.headers["ce-type"]).filter(Boolean);
    expect(types.indexOf("azure.webpubsub.sys.connected")).toBeLessThan(types.indexOf("azure.webpubsub.sys.disconnected"));
  });

  it("refuses the client when connect answers 401, and applies userId, roles and groups from a 200 answer", async () => {
    const handler = await startEventHandler((request) => {
      if (request.headers["ce-type"] !== "azure.webpubsub.sys.connect") return undefined;
      const { claims } = JSON.parse(request.body.toString()) as { claims: { sub?: string[] } };
      if (claims.sub?.[0] === "intruder") return { status: 401, body: "unknown host" };
      return json({ userId: "host-42", roles: ["webpubsub.sendToGroup.host-42"], groups: ["host-42"] });
    });
    const hub = await startHub({ eventHandlerUrl: handler.url });
    const service = serviceClient(hub);

    const intruder = newClient((await service.getClientAccessToken({ userId: "intruder" })).url);
    await expect(intruder.start()).rejects.toThrow();
    expect(handler.requests.some((request) => request.headers["ce-type"] === "azure.webpubsub.sys.connected")).toBe(false);

    const { client, userId } = await startClient((await service.getClientAccessToken({ userId: "install-key-holder" })).url);
    expect(userId).toBe("host-42");
    const echoed = next(client, "group-message");
    await client.sendToGroup("host-42", "hello from host", "text");
    expect((await echoed).message).toMatchObject({ group: "host-42", fromUserId: "host-42", data: "hello from host" });
  });

  it("refuses clients with 500 while the handler is unreachable, and keeps serving once it answers", async () => {
    const closed = http.createServer();
    closed.listen(0, "127.0.0.1");
    await once(closed, "listening");
    const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/api/channel/events`;
    await new Promise((resolve) => closed.close(resolve));

    const hub = await startHub({ eventHandlerUrl: deadUrl });
    const service = serviceClient(hub);
    const url = (await service.getClientAccessToken({ userId: "operator-1" })).url;
    await expect(newClient(url).start()).rejects.toThrow();

    const handler = await startEventHandler();
    hub.setEventHandlerUrl(handler.url);
    const { connectionId } = await startClient(url);
    const connect = await handler.waitFor(handler.ofType("azure.webpubsub.sys.connect"), "connect");
    expect(connect.headers["ce-connectionid"]).toBe(connectionId);
  });

  it("without a handler accepts connections and fails user events, until a handler URL is set", async () => {
    const hub = await startHub();
    const service = serviceClient(hub);
    const { client } = await startClient((await service.getClientAccessToken({ userId: "operator-1" })).url);
    await expect(client.sendEvent("status", { phase: "early" }, "json")).rejects.toMatchObject({ errorDetail: { name: "InternalServerError" } });

    const handler = await startEventHandler();
    hub.setEventHandlerUrl(handler.url);
    await client.sendEvent("status", { phase: "later" }, "json");
    const event = await handler.waitFor(handler.ofType("azure.webpubsub.user.status"), "the user event");
    expect(JSON.parse(event.body.toString())).toEqual({ phase: "later" });
  });

  it("rejects an event handler URL that is not absolute http(s)", async () => {
    await expect(startHub({ eventHandlerUrl: "/api/channel/events" })).rejects.toThrow(/absolute http/);
  });

  it("holds the connection while it posts connected and user events, and no longer when it posts disconnected", async () => {
    // The platform asks the hub (HEAD /connections/{id}) whether an event's connection is real
    // before trusting it, and whether a `disconnected` is real before ending it: DOC-CE sends
    // `connected` once the connection is established and `disconnected` once it has closed.
    let service: ReturnType<typeof serviceClient> | undefined;
    const seen: Promise<[string, boolean]>[] = [];
    const handler = await startEventHandler((request) => {
      const type = String(request.headers["ce-type"]);
      const connectionId = String(request.headers["ce-connectionid"]);
      if (request.method === "POST" && type !== "azure.webpubsub.sys.connect" && service) seen.push(service.connectionExists(connectionId).then((exists) => [type, exists]));
      return undefined;
    });
    const hub = await startHub({ eventHandlerUrl: handler.url });
    service = serviceClient(hub);
    const { client } = await startClient((await service.getClientAccessToken({ userId: "operator-1" })).url);
    await handler.waitFor(handler.ofType("azure.webpubsub.sys.connected"), "connected");
    await client.sendEvent("status", { phase: "running" }, "json");
    client.stop();
    await handler.waitFor(handler.ofType("azure.webpubsub.sys.disconnected"), "disconnected");
    expect(await Promise.all(seen)).toEqual([
      ["azure.webpubsub.sys.connected", true],
      ["azure.webpubsub.user.status", true],
      ["azure.webpubsub.sys.disconnected", false],
    ]);
  });
});
