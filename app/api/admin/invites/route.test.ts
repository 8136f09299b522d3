import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestStore, type TestStore } from "@/server/testing/test-store";
import { useSettings, useStoreAsProcessStore } from "@/server/testing/settings";
import { POST } from "./route";

const ADMIN_TOKEN = "a".repeat(40);
useSettings({ PLATFORM_ADMIN_TOKEN: ADMIN_TOKEN, REQUEST_BODY_LIMIT_BYTES: "524288" });

let store: TestStore;
beforeAll(async () => {
  store = await openTestStore();
  useStoreAsProcessStore(store);
});
afterAll(() => store.destroy());

const post = (body: string) =>
  POST(new Request("http://localhost:3000/api/admin/invites", { method: "POST", body, headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" } }));

describe("the platform operator's invite route", () => {
  it("issues a link for a small body", async () => {
    const response = await post(JSON.stringify({ email: "team@admin-invites.example" }));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ link: expect.stringContaining("/invite#dpi_") });
  });

  it("refuses a body over the platform's cap with 413, issuing nothing", async () => {
    const response = await post(JSON.stringify({ email: "big@admin-invites.example", padding: "x".repeat(600_000) }));
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: "payload_too_large" });
  });
});
