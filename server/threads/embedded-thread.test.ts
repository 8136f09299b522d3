import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { WebPubSubClient } from "@azure/web-pubsub-client";
import { afterAll, describe, expect, it } from "vitest";
import { CONTAINERS, hostUserId, newId } from "@/prisma-free-schema";
import { openChannel } from "../channel/channel";
import { openStore } from "../store/store";

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});
const dataDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dp-thread-"));
  dirs.push(dir);
  return dir;
};
const embedded = (dir: string) => openStore({ store: { mode: "embedded", database: "threads" }, dataDir: dir, embeddedThread: "own" });

describe("the embedded stand-ins on threads of their own", () => {
  it("serves the store to the platform's client, keeps what it stored across a restart, and refuses a DATA_DIR another store holds", async () => {
    const dir = dataDir();
    const store = await embedded(dir);
    const runId = newId("run");
    await (await store.container(CONTAINERS.runEvents)).items.create({ id: "progress", runId, note: "kept" });
    await expect(embedded(dir)).rejects.toThrow(/is in use by another Disco Parrot store/);
    await store.close();

    const again = await embedded(dir);
    const { resource } = await (await again.container(CONTAINERS.runEvents)).item("progress", runId).read<{ note: string }>();
    expect(resource?.note).toBe("kept");
    await again.close();
    // Closed means the journal is let go: the folder can be opened on the caller's thread too.
    const here = await openStore({ store: { mode: "embedded", database: "threads" }, dataDir: dir, embeddedThread: "caller" });
    await here.close();
  });

  it("serves the hub's REST API and its clients, and ends them when closed", async () => {
    // An event handler that accepts every event (the platform's is not what this is about).
    const handler = http.createServer((req, res) => res.writeHead(req.method === "OPTIONS" ? 200 : 204, { "WebHook-Allowed-Origin": "*" }).end());
    await new Promise<void>((resolve) => handler.listen(0, "127.0.0.1", resolve));
    const eventHandlerUrl = `http://127.0.0.1:${(handler.address() as AddressInfo).port}/events`;
    const channel = await openChannel({ mode: "embedded", port: 0 }, { eventHandlerUrl, embeddedThread: "own" });
    const userId = hostUserId(newId("host"));
    const client = new WebPubSubClient((await channel.platform.service.getClientAccessToken({ userId })).url, { autoReconnect: false });
    const stopped = new Promise<void>((resolve) => client.on("stopped", () => resolve()));
    const connected = new Promise<string>((resolve) => client.on("connected", (event) => resolve(event.connectionId)));
    await client.start();
    expect(await channel.platform.connectionExists(await connected)).toBe(true);
    await channel.close();
    await stopped;
    handler.close();
  });
});
