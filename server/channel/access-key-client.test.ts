import { WebPubSubServiceClient } from "@azure/web-pubsub";
import { describe, expect, it } from "vitest";
import { accessKeyClient } from "./access-key-client";

const KEY = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCDEFGH";

describe("a service client holding its access key as a KeyObject", () => {
  it.each([
    `Endpoint=http://127.0.0.1;Port=8123;AccessKey=${KEY};Version=1.0;`,
    `Endpoint=https://example.webpubsub.azure.com;AccessKey=${KEY};Version=1.0;`,
    `endpoint=example.webpubsub.azure.com;accesskey=${KEY}`,
  ])("reaches the same endpoint and signs the same tokens as the SDK's own, for %s", async (connectionString) => {
    const ours = accessKeyClient(connectionString, "discoparrot", { allowInsecureConnection: true });
    const sdk = new WebPubSubServiceClient(connectionString, "discoparrot", { allowInsecureConnection: true });
    expect(ours.endpoint).toBe(sdk.endpoint);
    const options = { userId: "host:h1", roles: ["webpubsub.sendToGroup"], expirationTimeInMinutes: 5 };
    // Tokens carry their issue time in seconds: ask again if the two fell in different seconds.
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const [a, b] = [await ours.getClientAccessToken(options), await sdk.getClientAccessToken(options)];
      if (a.token === b.token || attempt === 2) {
        expect(a).toEqual(b);
        return;
      }
    }
  });

  it("refuses a connection string without an endpoint or an access key", () => {
    expect(() => accessKeyClient(`AccessKey=${KEY}`, "discoparrot", { allowInsecureConnection: false })).toThrow(/Endpoint/);
    expect(() => accessKeyClient("Endpoint=https://example.webpubsub.azure.com", "discoparrot", { allowInsecureConnection: false })).toThrow(/AccessKey/);
  });
});
