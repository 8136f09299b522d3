import { afterEach, describe, expect, it, vi } from "vitest";
import { log } from "@/server/log";
import { useSettings } from "@/server/testing/settings";
import { POST } from "./route";

useSettings({ REQUEST_BODY_LIMIT_BYTES: "524288" });

const REQUEST_ID = "0f6e0c1a-7d5b-4c59-9a57-2f1c4a3c9d11";
const post = (body: string) =>
  POST(new Request("http://localhost:3000/api/client-crashes", { method: "POST", body, headers: { "content-type": "application/json", "x-request-id": REQUEST_ID } }));

afterEach(() => vi.restoreAllMocks());

describe("a browser's crash report", () => {
  it("is one log line under its own request id, which it answers with, naming only the page and the kind of error", async () => {
    const warn = vi.spyOn(log, "warn").mockImplementation(() => undefined);
    const response = await post(JSON.stringify({ path: "/runs/run_abcdefghij0123456789", errorName: "TypeError" }));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ requestId: REQUEST_ID });
    expect(warn.mock.calls).toEqual([["page.client_error", { requestId: REQUEST_ID, path: "/runs/run_abcdefghij0123456789", errorName: "TypeError" }]]);
  });

  it.each([
    ["a message, which could hold what the page showed", { path: "/runs", errorName: "TypeError", message: "token dpt_secret" }],
    ["another site's address", { path: "https://evil.example/x", errorName: "TypeError" }],
    ["a protocol-relative address", { path: "//evil.example/x", errorName: "TypeError" }],
    ["a query string, which can carry a secret (an invite's token)", { path: "/invite?token=inv_secret", errorName: "TypeError" }],
    ["a fragment", { path: "/runs#dpt_secret", errorName: "TypeError" }],
    ["a forged second log line", { path: "/runs\n{\"level\":\"error\"}", errorName: "TypeError" }],
    ["an error name that is prose", { path: "/runs", errorName: "Type Error: dpt_secret" }],
    ["nothing", {}],
  ])("refuses %s with a 400 and logs nothing", async (_, body) => {
    const warn = vi.spyOn(log, "warn").mockImplementation(() => undefined);
    const response = await post(JSON.stringify(body));
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: expect.stringContaining("path") });
    expect(warn).not.toHaveBeenCalled();
  });

  it("refuses a body that is not JSON, or over the platform's cap, logging nothing", async () => {
    const warn = vi.spyOn(log, "warn").mockImplementation(() => undefined);
    expect((await post("not json")).status).toBe(400);
    expect((await post(JSON.stringify({ path: "/runs", errorName: "TypeError", padding: "x".repeat(600_000) }))).status).toBe(413);
    expect(warn).not.toHaveBeenCalled();
  });
});
