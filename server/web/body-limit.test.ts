import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { readCappedBody, withBodyLimit } from "./body-limit";

/** A body that never ends, counting how much of it was pulled and whether it was cancelled. */
function endless(chunkBytes = 16 * 1024) {
  const seen = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      seen.pulled += chunkBytes;
      controller.enqueue(new Uint8Array(chunkBytes));
    },
    cancel() {
      seen.cancelled = true;
    },
  });
  return { stream, seen };
}

const post = (body: BodyInit | null, headers: Record<string, string> = {}) =>
  new Request("http://localhost:3000/api/x", { method: "POST", body, headers, duplex: "half" } as RequestInit);

describe("request body cap", () => {
  it("refuses a declared length over the cap without reading a byte", async () => {
    const { stream, seen } = endless();
    const result = await readCappedBody(post(stream, { "content-length": "10737418240" }), 1024);
    expect(result.ok).toBe(false);
    expect(seen.pulled).toBeLessThanOrEqual(16 * 1024); // at most what the stream queued before anyone read
  });

  it("refuses a body that never ends as soon as its bytes pass the cap, and stops reading it", async () => {
    const { stream, seen } = endless();
    const result = await readCappedBody(post(stream), 100 * 1024);
    expect(result.ok).toBe(false);
    expect(seen.pulled).toBeLessThan(200 * 1024);
    expect(seen.cancelled).toBe(true);
  });

  it("refuses a declared length that is not a number", async () => {
    expect((await readCappedBody(post("{}", { "content-length": "1e9" }), 1024)).ok).toBe(false);
  });

  it("hands the route the whole body when it is within the cap, as the same kind of request", async () => {
    let seen: { text: string; isNext: boolean; cookie: string | undefined } | undefined;
    const route = withBodyLimit(
      async (request: Request) => {
        seen = { text: await request.text(), isNext: request instanceof NextRequest, cookie: (request as NextRequest).cookies.get("a")?.value };
        return new Response("ok");
      },
      () => ({ limit: 64, hsts: false }),
    );
    const request = new NextRequest("http://localhost:3000/api/auth/callback/local", { method: "POST", body: "name=x&email=y", headers: { cookie: "a=b", "content-type": "application/x-www-form-urlencoded" } });
    expect((await route(request)).status).toBe(200);
    expect(seen).toEqual({ text: "name=x&email=y", isNext: true, cookie: "b" });

    const tooBig = await route(new NextRequest("http://localhost:3000/api/x", { method: "POST", body: "x".repeat(65) }));
    expect(tooBig.status).toBe(413);
    expect(tooBig.headers.get("x-content-type-options")).toBe("nosniff");
    expect(await tooBig.json()).toMatchObject({ error: "payload_too_large" });
  });

  it("adds HSTS (when PUBLIC_URL is https) to what a route answers a body that skipped the proxy", async () => {
    const route = withBodyLimit(async () => Response.json({ ok: true }), () => ({ limit: 64, hsts: true }));
    const response = await route(new Request("http://localhost:3000/api/x", { method: "POST", body: "{}" }));
    expect(response.headers.get("strict-transport-security")).toMatch(/^max-age=/);
  });
});
