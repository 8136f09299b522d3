import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { CosmosClient } from "@azure/cosmos";
import { afterAll, describe, expect, it } from "vitest";
import { startStandaloneHub, startStandaloneStore } from "../testing/shared-services";
import { WebPubSubServiceClient } from "@azure/web-pubsub";
import { CHANNEL_HUB } from "@/prisma-free-schema";

/**
 * `npm run store` and `npm run hub`: what someone running several platform processes relies on
 * is that the printed settings work with the Azure clients, and that the store's settings still
 * work after it restarts, with the data kept.
 */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dp-standalone-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("the stand-ins as processes of their own", () => {
  it("the store's printed settings work with @azure/cosmos, and after a restart the same key opens the same data", async () => {
    const first = await startStandaloneStore(dir);
    const client = new CosmosClient({ endpoint: first.endpoint, key: first.key });
    const { database } = await client.databases.createIfNotExists({ id: "kept" });
    const { container } = await database.containers.createIfNotExists({ id: "notes", partitionKey: { paths: ["/id"] } });
    await container.items.create({ id: "one", text: "kept across a restart" });
    client.dispose();

    // A second store on the same folder is refused while the first holds it.
    await expect(startStandaloneStore(dir)).rejects.toThrow(/exited/);
    await first.stop();

    const again = await startStandaloneStore(dir);
    try {
      expect(again.key).toBe(first.key);
      const reopened = new CosmosClient({ endpoint: again.endpoint, key: again.key });
      const { resource } = await reopened.database("kept").container("notes").item("one", "one").read<{ text: string }>();
      expect(resource?.text).toBe("kept across a restart");
      reopened.dispose();
    } finally {
      await again.stop();
    }
  }, 60_000);

  it("the hub's printed connection string works with @azure/web-pubsub", async () => {
    const hub = await startStandaloneHub("http://127.0.0.1:9/api/channel/events");
    try {
      const service = new WebPubSubServiceClient(hub.connectionString, CHANNEL_HUB, { allowInsecureConnection: true });
      expect(await service.userExists("platform:nobody00")).toBe(false);
      const { url } = await service.getClientAccessToken({ userId: "platform:nobody00" });
      expect(url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/client\/hubs\/discoparrot\?access_token=/);
    } finally {
      await hub.stop();
    }
  }, 30_000);
});
