import http from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { exchangeInstallKey } from "./key-exchange";
import { afterThisTest } from "./testing/platform-double";

const REQUEST = { hostId: "host_abcdefghijkmnpqrstuv", key: "opk_testtesttest1234", operatorVersion: "0.1.0" };

/** A platform that answers the exchange with `answer`, recording what it was sent. */
async function platform(answer: (res: http.ServerResponse) => void) {
  const received: { url?: string; body: string }[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      received.push({ url: req.url, body });
      answer(res);
    });
  });
  server.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  afterThisTest(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) => (res: http.ServerResponse) =>
  res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));

describe("exchangeInstallKey", () => {
  it("posts the host, key and version, and is granted a URL with a renewal time from the platform's clock", async () => {
    const platformNow = Date.now() - 10 * 60_000; // the operator's clock runs ten minutes ahead
    const expiresAt = new Date(platformNow + 3600_000).toISOString();
    const { url, received } = await platform(
      json(200, { url: "ws://hub.example/client/hubs/discoparrot?access_token=abc", expiresAt, renewBeforeSeconds: 300 }, { date: new Date(platformNow).toUTCString() }),
    );
    const before = Date.now();
    const outcome = await exchangeInstallKey(`${url}/`, REQUEST);

    expect(received).toEqual([{ url: "/api/operators/token", body: JSON.stringify(REQUEST) }]);
    expect(outcome.kind).toBe("granted");
    if (outcome.kind !== "granted") return;
    expect(outcome.grant.url).toBe("ws://hub.example/client/hubs/discoparrot?access_token=abc");
    // 55 minutes from now on this machine's clock, give or take the Date header's one-second grain.
    expect(outcome.grant.renewAt - before).toBeGreaterThan(55 * 60_000 - 2_000);
    expect(outcome.grant.renewAt - before).toBeLessThan(55 * 60_000 + 2_000);
  });

  it("keeps a path prefix on the platform URL", async () => {
    const { url, received } = await platform(json(401, {}));
    await exchangeInstallKey(`${url}/parrot`, REQUEST);
    expect(received[0]?.url).toBe("/parrot/api/operators/token");
  });

  it("renews halfway when renewBeforeSeconds is longer than the grant lives", async () => {
    const { url } = await platform(json(200, { url: "ws://hub.example/x?access_token=abc", expiresAt: new Date(Date.now() + 60_000).toISOString(), renewBeforeSeconds: 300 }));
    const before = Date.now();
    const outcome = await exchangeInstallKey(url, REQUEST);
    if (outcome.kind !== "granted") throw new Error(outcome.kind);
    expect(outcome.grant.renewAt - before).toBeGreaterThan(28_000);
    expect(outcome.grant.renewAt - before).toBeLessThan(32_000);
  });

  it("calls a 401 rejected", async () => {
    const { url } = await platform(json(401, { error: "Unauthorized" }));
    expect(await exchangeInstallKey(url, REQUEST)).toEqual({ kind: "rejected" });
  });

  it("calls a 429 throttled, for as long as Retry-After says", async () => {
    const { url } = await platform(json(429, {}, { "retry-after": "17" }));
    expect(await exchangeInstallKey(url, REQUEST)).toEqual({ kind: "throttled", retryAfterMs: 17_000 });
  });

  it("calls a 5xx, an odd status or a malformed grant unavailable", async () => {
    for (const [answer, reason] of [
      [json(503, {}), "the platform answered 503"],
      [json(404, {}), "the platform answered 404"],
      [json(200, { url: "not a url" }), "the platform's answer is not a key exchange response (url)"],
    ] as const) {
      const { url } = await platform(answer);
      expect(await exchangeInstallKey(url, REQUEST)).toEqual({ kind: "unavailable", reason });
    }
  });

  it("does not follow a redirect with the key", async () => {
    const elsewhere = await platform(json(200, {}));
    const { url } = await platform((res) => res.writeHead(307, { location: `${elsewhere.url}/api/operators/token` }).end());
    const outcome = await exchangeInstallKey(url, REQUEST);
    expect(outcome.kind).toBe("unavailable");
    expect(elsewhere.received).toEqual([]);
  });

  it("calls an unreachable platform unavailable", async () => {
    const server = http.createServer().listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    expect(await exchangeInstallKey(`http://127.0.0.1:${port}`, REQUEST)).toEqual({ kind: "unavailable", reason: `could not reach 127.0.0.1:${port}: ECONNREFUSED` });
  });

  it("gives up on a platform that does not answer in time", async () => {
    const { url } = await platform(() => undefined);
    expect(await exchangeInstallKey(url, REQUEST, { timeoutMs: 200 })).toEqual({ kind: "unavailable", reason: expect.stringContaining("within 200 ms") });
  });

  it("rejects with the caller's reason when the caller aborts", async () => {
    const { url } = await platform(() => undefined);
    const stopping = new AbortController();
    const exchange = exchangeInstallKey(url, REQUEST, { signal: stopping.signal });
    stopping.abort(new Error("stopping"));
    await expect(exchange).rejects.toThrow("stopping");
  });
});
