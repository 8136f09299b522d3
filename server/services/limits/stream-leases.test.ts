import { encode, type JWT } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as trpcGet } from "@/app/api/trpc/[trpc]/route";
import { GET as sseGet } from "@/app/api/runs/[runId]/events/route";
import { CONTAINERS } from "@/prisma-free-schema";
import type { Actor } from "../../auth/actor";
import { getAuthSecret } from "../../auth/auth-secret";
import { getAuthOptions } from "../../auth/next-auth-options";
import type { Store } from "../../store/store";
import { eventually } from "../../testing/eventually";
import { createTestRun } from "../../testing/runs-fixtures";
import { useSettings } from "../../testing/settings";
import { addSignedInMember, openTestStore, workspaceWithOwner, type TestStore, type TestWorkspace } from "../../testing/test-store";
import { endAllSessions, endSession } from "../sessions/sessions";
import { leasedRunEvents } from "./leased-run-events";
import { cookieSessionId, holdStreamLease, LEASE_MS, mayStillStream, RETRY_AFTER_MAX_SECONDS } from "./stream-leases";

const restore = useSettings({ MAX_EVENT_STREAMS_PER_PRINCIPAL: "2", AUTH_SECRET: "stream-leases-test-secret-0123456789abcdef" });

let store: TestStore;
let team: TestWorkspace;
let bearer: string;
let secondBearer: string;
let runId: string;

// The route handlers open the process's store through getStore(); point it at the test store.
const STORE_KEY = Symbol.for("discoparrot.store");
const holder = globalThis as { [STORE_KEY]?: Promise<Store> };

beforeAll(async () => {
  store = await openTestStore();
  holder[STORE_KEY] = Promise.resolve(store);
  team = await workspaceWithOwner(store, "sia@streams.example");
  const mint = () => team.ownerCaller.apiTokens.create({ workspaceId: team.workspace.id, name: "watcher", scopes: ["hosts.read"], expiresInDays: 1 });
  bearer = (await mint()).bearer;
  secondBearer = (await mint()).bearer;
  runId = (await createTestRun(store, team.workspace.id, team.owner)).id;
});
afterAll(async () => {
  delete holder[STORE_KEY];
  await store.destroy();
  restore();
});

/** Opens the SSE stream as an internal tool would; `close` hangs up like a closed tab. */
async function openSse(token: string) {
  const abort = new AbortController();
  const response = await sseGet(new Request(`http://localhost:3000/api/runs/${runId}/events`, { headers: { authorization: `Bearer ${token}` }, signal: abort.signal }), {
    params: Promise.resolve({ runId }),
  });
  return {
    response,
    close: async () => {
      abort.abort();
      await response.body?.cancel().catch(() => undefined);
    },
  };
}

async function openLeases(): Promise<number> {
  const container = await store.container(CONTAINERS.streamLeases);
  return (await container.items.query<number>("SELECT VALUE COUNT(1) FROM c").fetchAll()).resources[0] ?? 0;
}

describe("open run event streams per principal", () => {
  it("answers the third SSE stream of one token 429 with Retry-After, and opens it again once one closes", async () => {
    const first = await openSse(bearer);
    const second = await openSse(bearer);
    expect([first.response.status, second.response.status]).toEqual([200, 200]);

    const third = await openSse(bearer);
    expect(third.response.status).toBe(429);
    const retryAfter = Number(third.response.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(RETRY_AFTER_MAX_SECONDS);
    expect(await third.response.json()).toMatchObject({ error: "too_many_streams", message: expect.stringMatching(/You have 2 run event streams open, the most one person or token may have at once/) });

    // Another token of the same person counts on its own.
    const other = await openSse(secondBearer);
    expect(other.response.status).toBe(200);

    await first.close();
    const status = await eventually(
      async () => {
        const again = await openSse(bearer);
        await again.close();
        return again.response.status;
      },
      (code) => code === 200,
    );
    expect(status).toBe(200);
    await Promise.all([second.close(), other.close()]);
    expect(await eventually(openLeases, (n) => n === 0)).toBe(0);
  });

  it("keeps the count in the store, so a stream held by another process counts, and a dead process's slots free up once they lapse", async () => {
    // Two streams held elsewhere (another process sharing this store), which then dies without releasing.
    const t0 = Date.now();
    await holdStreamLease(store, { principal: "user:usr_elsewhere", runId, limit: 2, now: () => t0 });
    await holdStreamLease(store, { principal: "user:usr_elsewhere", runId, limit: 2, now: () => t0 });
    await expect(holdStreamLease(store, { principal: "user:usr_elsewhere", runId, limit: 2, now: () => t0 + 30_000 })).rejects.toMatchObject({
      code: "TOO_MANY_REQUESTS",
      retryAfterSeconds: 10,
    });
    // Nobody renewed them: a minute on, both slots are taken over.
    const later = () => t0 + LEASE_MS + 1;
    const a = await holdStreamLease(store, { principal: "user:usr_elsewhere", runId, limit: 2, now: later });
    const b = await holdStreamLease(store, { principal: "user:usr_elsewhere", runId, limit: 2, now: later });
    await Promise.all([a.release(), b.release()]);
  });

  it("gives twelve streams opened at once for one principal with ten slots ten distinct slots, and the other two 429", async () => {
    const opened = await Promise.allSettled(Array.from({ length: 12 }, () => holdStreamLease(store, { principal: "token:tok_crowd", runId, limit: 10 })));
    const held = opened.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
    expect(held).toHaveLength(10);
    expect(opened.filter((result) => result.status === "rejected").map((result) => (result as PromiseRejectedResult).reason.code)).toEqual(["TOO_MANY_REQUESTS", "TOO_MANY_REQUESTS"]);
    const container = await store.container(CONTAINERS.streamLeases);
    const slots = (await container.items.query<number>("SELECT VALUE c.slot FROM c", { partitionKey: "token:tok_crowd" }).fetchAll()).resources;
    expect([...slots].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    await Promise.all(held.map((lease) => lease.release()));
  });

  it("keeps a live stream's slot by renewing it: a minute on, it is still held, and is lost only when renewal stops", async () => {
    let clock = Date.now();
    const now = () => clock;
    const lease = await holdStreamLease(store, { principal: "token:tok_renewing", runId, limit: 1, now, heartbeatMs: 50 });
    clock += LEASE_MS + 1;
    // The heartbeat renews against the moved clock; until it has, the old expiry would have lapsed.
    const renewed = await eventually(
      async () => ((await (await store.container(CONTAINERS.streamLeases)).item("token:tok_renewing~0", "token:tok_renewing").read<{ expiresAt: string }>()).resource?.expiresAt ?? ""),
      (expiresAt) => Date.parse(expiresAt) > clock,
    );
    expect(Date.parse(renewed)).toBeGreaterThan(clock);
    await expect(holdStreamLease(store, { principal: "token:tok_renewing", runId, limit: 1, now })).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
    await lease.release();
    const next = await holdStreamLease(store, { principal: "token:tok_renewing", runId, limit: 1, now });
    await next.release();
  });

  it("answers the runs.events subscription over its cap with HTTP 429 and Retry-After too", async () => {
    const streams = [await openSse(bearer), await openSse(bearer)];
    const input = encodeURIComponent(JSON.stringify({ workspaceId: team.workspace.id, runId }));
    const response = await trpcGet(new Request(`http://localhost:3000/api/trpc/runs.events?input=${input}`, { headers: { authorization: `Bearer ${bearer}`, accept: "text/event-stream" } }));
    expect(response.status).toBe(429);
    expect(Number(response.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    const body = await response.text();
    expect(body).toMatch(/TOO_MANY_REQUESTS/);
    await Promise.all(streams.map((stream) => stream.close()));

    // Under the cap, the same subscription streams (200, event-stream), and its slot is freed when it ends.
    expect(await eventually(openLeases, (n) => n === 0)).toBe(0);
    const abort = new AbortController();
    const ok = await trpcGet(new Request(`http://localhost:3000/api/trpc/runs.events?input=${input}`, { headers: { authorization: `Bearer ${bearer}` }, signal: abort.signal }));
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toMatch(/text\/event-stream/);
    expect(await eventually(openLeases, (n) => n === 1)).toBe(1);
    abort.abort();
    await ok.body?.cancel().catch(() => undefined);
    expect(await eventually(openLeases, (n) => n === 0)).toBe(0);
  });

  describe("a stream whose principal may no longer read the run ends within one check", () => {
    const CHECK_MS = 50;

    /** Reads the runs.events subscription (checking every CHECK_MS) until it finishes; `within` says whether it has. */
    async function subscribe(actor: Actor) {
      const abort = new AbortController();
      const events = await leasedRunEvents({ store, actor, runId, afterSeq: 0, signal: abort.signal, accessCheckMs: CHECK_MS });
      const ended = (async () => {
        for await (const _event of events) {
          // Only the ending matters here.
        }
        return "finished";
      })();
      const within = (ms: number) => Promise.race([ended, new Promise<string>((resolve) => setTimeout(() => resolve("still open"), ms))]);
      return { within, close: () => abort.abort() };
    }

    it("finishes a person's runs.events subscription once they are removed from the workspace, and frees their slot", async () => {
      const lee = await addSignedInMember(store, team.workspace.id, team.owner, "lee@streams.example", ["hosts.read"]);
      const stream = await subscribe(lee);
      expect(await stream.within(CHECK_MS * 4)).toBe("still open");
      expect(await openLeases()).toBe(1);

      const member = (await team.ownerCaller.members.list({ workspaceId: team.workspace.id })).find((m) => m.userId === lee.userId)!;
      await team.ownerCaller.members.remove({ workspaceId: team.workspace.id, memberId: member.id });
      expect(await stream.within(2000)).toBe("finished");
      expect(await eventually(openLeases, (n) => n === 0)).toBe(0);
    });

    it("finishes a token's runs.events subscription once the token is revoked", async () => {
      const minted = await team.ownerCaller.apiTokens.create({ workspaceId: team.workspace.id, name: "revoked while watching", scopes: ["hosts.read"], expiresInDays: 1 });
      const actor: Actor = { kind: "api_token", tokenId: minted.token.id, tokenName: "revoked while watching", userId: team.owner.userId, email: team.owner.email, workspaceId: team.workspace.id, memberId: (await team.ownerCaller.members.list({ workspaceId: team.workspace.id })).find((m) => m.userId === team.owner.userId)!.id, scopes: ["hosts.read"] };
      const stream = await subscribe(actor);
      expect(await stream.within(CHECK_MS * 4)).toBe("still open");

      await team.ownerCaller.apiTokens.revoke({ workspaceId: team.workspace.id, tokenId: minted.token.id });
      expect(await stream.within(2000)).toBe("finished");
      expect(await eventually(openLeases, (n) => n === 0)).toBe(0);
    });

    it("follows the session a cookie names: signing out (or a password change) ends that stream, another browser's goes on", async () => {
      const jo = await addSignedInMember(store, team.workspace.id, team.owner, "jo@streams.example", ["hosts.read"]);
      // Two browsers signed in, their cookies as next-auth makes and sends them.
      const signIn = async () => {
        const token = (await getAuthOptions().callbacks!.jwt!({ token: {}, user: { id: jo.userId, email: jo.email, name: jo.name }, account: { provider: "local", type: "credentials", providerAccountId: jo.userId } } as never)) as JWT;
        const cookie = await encode({ token, secret: getAuthSecret() });
        return { sid: token.sid as string, headers: new Headers({ cookie: `other=1; next-auth.session-token=${cookie}` }) };
      };
      const laptop = await signIn();
      const phone = await signIn();
      expect(await cookieSessionId(laptop.headers, jo.userId)).toBe(laptop.sid);
      // A cookie of someone else, or none, names no session of this person.
      expect(await cookieSessionId(laptop.headers, team.owner.userId)).toBeNull();
      expect(await cookieSessionId(new Headers(), jo.userId)).toBeNull();

      const watch = async (sessionId: string) => {
        let lost = false;
        const lease = await holdStreamLease(store, {
          principal: `user:${jo.userId}`,
          runId,
          limit: 2,
          heartbeatMs: CHECK_MS,
          stillAllowed: () => mayStillStream(store, { actor: jo, workspaceId: team.workspace.id, sessionId }),
          onLost: () => (lost = true),
        });
        return { lease, lost: () => lost };
      };
      const onLaptop = await watch(laptop.sid);
      const onPhone = await watch(phone.sid);
      await new Promise((resolve) => setTimeout(resolve, CHECK_MS * 4));
      expect([onLaptop.lost(), onPhone.lost()]).toEqual([false, false]);

      await endSession(store, jo.userId, laptop.sid);
      expect(await eventually(async () => onLaptop.lost(), (lost) => lost, 2000)).toBe(true);
      expect(onPhone.lost()).toBe(false);
      await endAllSessions(store, jo.userId, "password changed");
      expect(await eventually(async () => onPhone.lost(), (lost) => lost, 2000)).toBe(true);
      expect(await eventually(openLeases, (n) => n === 0)).toBe(0);
      // A person's cookie that could not be read keeps no stream.
      expect(await mayStillStream(store, { actor: jo, workspaceId: team.workspace.id, sessionId: null })).toBe(false);
    });
  });
});
