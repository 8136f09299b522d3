import { WebPubSubServiceClient } from "@azure/web-pubsub";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerHost } from "../../testing/hosts-fixtures";
import { openTestStore, workspaceWithOwner, type TestStore, type TestWorkspace } from "../../testing/test-store";
import { CONTAINERS } from "@/prisma-free-schema";
import { hostStore } from "../../store/host-store";
import type { Store } from "../../store/store";
import { workspaceStore } from "../../store/workspace-store";
import { setWorkspacePlan } from "../workspaces/set-workspace-plan";
import { type ClientAccessIssuer, exchangeInstallKey } from "./exchange-install-key";
import { mintInstallKey } from "./install-key";

let store: TestStore;
let team: TestWorkspace;

// The real server SDK signs client tokens locally from the connection string's key.
const hub = new WebPubSubServiceClient("Endpoint=http://127.0.0.1:7;AccessKey=exchange-test-access-key-0123456789abcdef;Version=1.0;", "discoparrot", {
  allowInsecureConnection: true,
});
const issue: ClientAccessIssuer = async (userId, minutes) => (await hub.getClientAccessToken({ userId, expirationTimeInMinutes: minutes })).url;

beforeAll(async () => {
  store = await openTestStore();
  team = await workspaceWithOwner(store, "kay@keys.example");
  await configureChannel(store, team.workspace.id);
});
afterAll(() => store.destroy());

/** What a bundle download will do: mint a key and keep only its hash on the host. */
async function hostWithKey(name: string) {
  const host = await registerHost(team.ownerCaller, team.workspace.id, { name, kind: "docker" });
  return { host, key: await rekey(team.workspace.id, host.id) };
}

async function rekey(workspaceId: string, hostId: string): Promise<string> {
  const hosts = hostStore(store);
  const { etag, ...current } = (await hosts.get(workspaceId, hostId))!;
  const minted = mintInstallKey();
  await hosts.replace({ ...current, installKeyHash: minted.hash, installKeyFingerprint: minted.fingerprint }, etag);
  return minted.key;
}

async function configureChannel(s: Store, workspaceId: string) {
  const workspaces = workspaceStore(s);
  const { etag, ...workspace } = (await workspaces.get(workspaceId))!;
  await workspaces.replace({ ...workspace, byoChannelConfigured: true }, etag);
}

function claimsOf(url: string): Record<string, unknown> {
  const token = new URL(url).searchParams.get("access_token")!;
  return JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString()) as Record<string, unknown>;
}

describe("install-key exchange", () => {
  it("trades the right key for an hour-long channel URL as host:<id>, with no roles", async () => {
    const { host, key } = await hostWithKey("good-host");
    const result = await exchangeInstallKey({ store, request: { hostId: host.id, key }, issue });
    expect(result.outcome).toBe("granted");
    if (result.outcome !== "granted") return;
    expect(result.response.url).toMatch(/^ws:\/\/127\.0\.0\.1:7\/client\/hubs\/discoparrot\?access_token=/);
    const claims = claimsOf(result.response.url);
    expect(claims.sub).toBe(`host:${host.id}`);
    expect(claims.role).toBeUndefined();
    expect(claims["webpubsub.group"]).toBeUndefined();
    expect((claims.exp as number) - (claims.iat as number)).toBe(3600);
  });

  it("gives one flat rejection for an unknown host, a wrong key, a retired key, a deleted host and an unready workspace", async () => {
    const { host, key } = await hostWithKey("probed-host");
    const { key: otherKey } = await hostWithKey("other-host");
    const outcomes = [
      await exchangeInstallKey({ store, request: { hostId: "host_aaaaaaaaaaaaaaaaaaaa", key }, issue }),
      await exchangeInstallKey({ store, request: { hostId: host.id, key: otherKey }, issue }),
      await exchangeInstallKey({ store, request: { hostId: host.id, key: "opk_not-even-a-real-key" }, issue }),
    ];
    const fresh = await rekey(team.workspace.id, host.id);
    outcomes.push(await exchangeInstallKey({ store, request: { hostId: host.id, key }, issue })); // retired by the new download
    expect((await exchangeInstallKey({ store, request: { hostId: host.id, key: fresh }, issue })).outcome).toBe("granted");

    const doomed = await hostWithKey("deleted-host");
    await team.ownerCaller.hosts.delete({ workspaceId: team.workspace.id, hostId: doomed.host.id, force: true });
    outcomes.push(await exchangeInstallKey({ store, request: { hostId: doomed.host.id, key: doomed.key }, issue }));

    const unready = await workspaceWithOwner(store, "una@unready.example");
    const unreadyHost = await registerHost(unready.ownerCaller, unready.workspace.id, { name: "unready", kind: "docker" });
    const unreadyKey = await rekey(unready.workspace.id, unreadyHost.id);
    outcomes.push(await exchangeInstallKey({ store, request: { hostId: unreadyHost.id, key: unreadyKey }, issue })); // channel not configured
    await configureChannel(store, unready.workspace.id);
    await setWorkspacePlan({ store, workspaceId: unready.workspace.id, plan: "team" });
    outcomes.push(await exchangeInstallKey({ store, request: { hostId: unreadyHost.id, key: unreadyKey }, issue })); // plan without BYO

    expect(outcomes).toEqual(Array.from({ length: 7 }, () => ({ outcome: "rejected" })));
  });

  it("throttles a wrong key after five refusals a minute, counted in the store across a restart", async () => {
    const { host, key } = await hostWithKey("limited-host");
    const now = Date.now();
    const wrong = `opk_${"A".repeat(43)}`;
    for (let i = 0; i < 5; i += 1) expect((await exchangeInstallKey({ store, request: { hostId: host.id, key: wrong }, issue, now: now + i })).outcome).toBe("rejected");
    const sixth = await exchangeInstallKey({ store, request: { hostId: host.id, key: wrong }, issue, now: now + 10_000 });
    expect(sixth).toEqual({ outcome: "throttled", retryAfterSeconds: 50 });
    // The host's right key is not held back by someone else's wrong ones.
    expect((await exchangeInstallKey({ store, request: { hostId: host.id, key }, issue, now: now + 10_000 })).outcome).toBe("granted");

    await store.close();
    const { openStore } = await import("../../store/store");
    const reopened = await openStore({ store: { mode: "embedded", database: "test" }, dataDir: store.dataDir });
    Object.assign(store, { database: reopened.database, container: reopened.container, close: reopened.close, ping: reopened.ping });
    expect((await exchangeInstallKey({ store, request: { hostId: host.id, key: wrong }, issue, now: now + 20_000 })).outcome).toBe("throttled");
    expect((await exchangeInstallKey({ store, request: { hostId: host.id, key: wrong }, issue, now: now + 61_000 })).outcome).toBe("rejected");
  });

  it("never throttles the right key: fifty restarts in a minute are all granted", async () => {
    const { host, key } = await hostWithKey("restarting-host");
    const now = Date.now();
    for (let restart = 0; restart < 50; restart += 1) {
      expect((await exchangeInstallKey({ store, request: { hostId: host.id, key }, issue, now: now + restart * 1000 })).outcome).toBe("granted");
    }
  });

  it("throttles guessing at one host with ever-new keys, while that host's operator still gets in", async () => {
    const { host, key } = await hostWithKey("sprayed-host");
    const now = Date.now();
    const guesses = await Promise.all(
      Array.from({ length: 40 }, (_, i) => exchangeInstallKey({ store, request: { hostId: host.id, key: `opk_guess-${i}-${"x".repeat(30)}` }, issue, now: now + i })),
    );
    expect(guesses.filter((result) => result.outcome === "throttled").length).toBeGreaterThan(0);
    // Guesses that lost too many races to count are throttled without being counted (failing
    // closed), so the host's bucket fills within the per-host allowance of further guesses.
    let after: Awaited<ReturnType<typeof exchangeInstallKey>> | undefined;
    for (let i = 0; i <= 20 && after?.outcome !== "throttled"; i += 1) {
      after = await exchangeInstallKey({ store, request: { hostId: host.id, key: `opk_one-more-${i}-${"y".repeat(30)}` }, issue, now: now + 1000 });
    }
    expect(after?.outcome).toBe("throttled");
    expect((await exchangeInstallKey({ store, request: { hostId: host.id, key }, issue, now: now + 1000 })).outcome).toBe("granted");
  });

  it("keeps a bounded number of counters however many made-up hosts and keys are sprayed", async () => {
    const now = Date.now();
    const spray = Array.from({ length: 3000 }, (_, i) => ({ hostId: `host_${String(i).padStart(20, "r")}`, key: `opk_spray-${i}-${"z".repeat(30)}` }));
    for (let i = 0; i < spray.length; i += 100) {
      await Promise.all(spray.slice(i, i + 100).map((request, j) => exchangeInstallKey({ store, request, issue, now: now + i + j })));
    }
    const container = await store.container(CONTAINERS.keyAttempts);
    const { resources } = await container.items.query<number>("SELECT VALUE COUNT(1) FROM c").fetchAll();
    // 3,000 distinct keys and hosts, yet at most 4,096 + 4,096 buckets; far fewer than one row per attempt.
    const rows = resources[0]!;
    expect(rows).toBeLessThanOrEqual(8192);
    const ids = (await container.items.query<{ id: string }>("SELECT c.id FROM c").fetchAll()).resources.map((row) => row.id);
    expect(ids.every((id) => /^(key|host):[0-9a-f]{3}$/.test(id))).toBe(true);
  });
});
