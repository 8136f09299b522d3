import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { useSettings } from "../testing/settings";
import { addressBucketOf, clientAddressOf, installPeerAddress } from "./client-address";

/** A real HTTP server, made before the patch like Next's is: what address would sign-in count? */
const server = http.createServer((req, res) => res.end(JSON.stringify({ address: clientAddressOf(req.headers as Record<string, string>) ?? null })));
const listening = new Promise<number>((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)));
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function addressSeen(headers: Record<string, string> = {}): Promise<string | null> {
  const port = await listening;
  const response = await fetch(`http://127.0.0.1:${port}/`, { headers });
  return ((await response.json()) as { address: string | null }).address;
}

describe("the client address sign-in limits count", () => {
  it("is the connection's peer, whatever X-Forwarded-For the client sends", async () => {
    installPeerAddress();
    expect(await addressSeen()).toBe("127.0.0.1");
    expect(await addressSeen({ "x-forwarded-for": "203.0.113.9" })).toBe("127.0.0.1");
    expect(await addressSeen({ "x-forwarded-for": "203.0.113.9, 198.51.100.1" })).toBe("127.0.0.1");
  });

  it("behind trusted proxies, is the entry the nearest proxy saw", () => {
    useSettings({ TRUSTED_PROXY_HOPS: "1" });
    // client-claimed, what our proxy saw, the proxy itself (appended by the patch)
    expect(clientAddressOf(new Headers({ "x-forwarded-for": "6.6.6.6, 203.0.113.9, 10.0.0.2" }))).toBe("203.0.113.9");
    expect(clientAddressOf(new Headers({ "x-forwarded-for": "10.0.0.2" }))).toBeUndefined();
    expect(clientAddressOf(new Headers({ "x-forwarded-for": "not-an-ip, 10.0.0.2" }))).toBeUndefined();
    useSettings({ TRUSTED_PROXY_HOPS: "0" });
  });
});

describe("the address sign-in limits are counted under", () => {
  it("is an IPv4 address itself, and an IPv6 address's /64, however it is written", () => {
    expect(addressBucketOf("203.0.113.9")).toBe("203.0.113.9");
    expect(addressBucketOf("2001:db8:1:2::a")).toBe("2001:db8:1:2::/64");
    expect(addressBucketOf("2001:0DB8:0001:0002:ffff:1:2:3")).toBe("2001:db8:1:2::/64");
    expect(addressBucketOf("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(addressBucketOf("::1")).toBe("0:0:0:0::/64");
    expect(addressBucketOf("2001:db8:1:3::a")).not.toBe(addressBucketOf("2001:db8:1:2::a"));
  });
});
