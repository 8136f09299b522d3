/**
 * A workspace with 10,000 hosts and 10,000 profiles, in the embedded store, read through the real
 * `/api/trpc` route handler in this process (fetch adapter, bearer-token auth, workspace access,
 * zod output validation): p50/p99 of `hosts.list` (first page), `profiles.resolve` and
 * `hosts.get`. The same first page is also read on a 50-host workspace, before and after the big
 * one is seeded, so the ratios show how list cost grows with the workspace and with its
 * neighbours in the same container. The store call alone (`hostStore.list`) is timed too, to
 * split the store's share from the request's.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { DEFAULT_IDLE_POLICY, type THost, type TProfile, type TProfileSettings, type TRuntimeFamily } from "@/prisma-free-schema";
import { emit, emitLatency, percentile, throughput, timeEach } from "./measure";

const BENCH = "scale";
const HOSTS = 10_000;
const PROFILES = 10_000;
const SMALL_HOSTS = 50;
const PAGE = 50;
const WRITERS = 16;
const WARMUP = 50;
const CALLS = 500;
const SMALL_AFTER_CALLS = CALLS;
const STORE_CALLS = 200;

const FAMILY_SETS: TRuntimeFamily[][] = [["node"], ["node", "python"], ["python", "go"], ["node", "python", "go", "java", "dotnet"], ["java", "dotnet"]];

/** Environment this benchmark sets, put back afterwards so a later benchmark starts clean. */
const SETTINGS = ["DATA_DIR", "LOG_LEVEL", "NEW_WORKSPACE_PLAN", "COSMOS_ENDPOINT", "COSMOS_KEY"] as const;

type Handler = (req: Request) => Promise<Response>;

async function loadHandler(): Promise<Handler> {
  // The route module itself, so the benchmark measures exactly what Next.js serves.
  const route = (await import("../app/api/trpc/[trpc]/route")) as { GET: Handler };
  return route.GET;
}

function trpcGet(handler: Handler, bearer: string, procedure: string, input: unknown): Promise<Response> {
  const url = `http://127.0.0.1/api/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(input))}`;
  return handler(new Request(url, { headers: { authorization: `Bearer ${bearer}` } }));
}

/** One tRPC query through the handler; anything but a 200 stops the benchmark. */
async function call<T>(handler: Handler, bearer: string, procedure: string, input: unknown): Promise<T> {
  const response = await trpcGet(handler, bearer, procedure, input);
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${procedure} answered ${response.status}: ${text.slice(0, 500)}`);
  return (JSON.parse(text) as { result: { data: T } }).result.data;
}

export async function run(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "dp-bench-scale-"));
  const saved = Object.fromEntries(SETTINGS.map((name) => [name, process.env[name]]));
  process.env.DATA_DIR = dataDir;
  process.env.LOG_LEVEL = "warn";
  // The resolver needs bring-your-own hosts in the plan; and this is a benchmark of the embedded store only.
  process.env.NEW_WORKSPACE_PLAN = "enterprise";
  delete process.env.COSMOS_ENDPOINT;
  delete process.env.COSMOS_KEY;

  const { newId } = await import("@/prisma-free-schema");
  const { getEnv } = await import("../server/env");
  const { log } = await import("../server/log");
  const { getStore } = await import("../server/store/store");
  const { hostStore } = await import("../server/store/host-store");
  const { profileStore } = await import("../server/store/profile-store");
  const { newProfile } = await import("../server/services/profiles/new-profile");
  const { signInIdentity } = await import("../server/services/users/sign-in-user");
  const { createWorkspace } = await import("../server/services/workspaces/create-workspace");
  const { createCaller } = await import("../server/trpc/root");
  const handler = await loadHandler();

  if (getEnv().dataDir !== path.resolve(dataDir) || getEnv().store.mode !== "embedded") {
    throw new Error(`settings were read before this benchmark set DATA_DIR (store ${getEnv().store.mode} in ${getEnv().dataDir}); each benchmark runs in its own process (bench/run.ts), so this should not happen`);
  }
  const store = await getStore();
  try {
    const user = await signInIdentity({ store, identity: { provider: "local", email: "bench-owner@example.com" }, email: "bench-owner@example.com", name: "Bench Owner" });
    const owner = { kind: "user" as const, userId: user.id, email: user.email, name: user.name };
    const ownerCaller = createCaller({ requestId: "bench-scale-setup", store, actor: owner, bearerRejected: false, log });
    const tokenFor = async (workspaceId: string) =>
      (await ownerCaller.apiTokens.create({ workspaceId, name: "bench", scopes: ["hosts.read", "hosts.manage", "profiles.manage"], expiresInDays: 1 })).bearer;

    const big = await createWorkspace({ store, actor: owner, name: "Bench 10k" });
    const small = await createWorkspace({ store, actor: owner, name: "Bench 50" });
    if (!big.plan.byoHosts) throw new Error("the benchmark workspace's plan does not include bring-your-own hosts; resolves would all be refusals");
    const bigBearer = await tokenFor(big.id);
    const smallBearer = await tokenFor(small.id);

    // Documents built the way register-host.ts and new-profile.ts build them; a third registered.
    const now = new Date().toISOString();
    const hostDoc = (workspaceId: string, i: number): THost => {
      const registered = i % 3 === 0;
      return {
        id: newId("host"),
        type: "host",
        workspaceId,
        kind: i % 2 === 0 ? "docker" : "kubernetes",
        // Not in creation order, so the first page by name is a real sort, not the insertion order.
        name: `host-${String((i * 7919) % 100_003).padStart(6, "0")}-${i}`,
        runtimeFamilies: FAMILY_SETS[i % FAMILY_SETS.length]!,
        status: registered ? "registered" : i % 3 === 1 ? "awaiting-operator" : "disconnected",
        lastSeenAt: registered ? now : null,
        operatorVersion: registered ? "1.4.2" : null,
        health: registered ? { engineVersion: "27.3.1", nodes: 1 + (i % 5), ready: true } : {},
        installKeyHash: registered ? "ab".repeat(32) : null,
        installKeyFingerprint: registered ? `ab:ab:ab:${i}` : null,
        workloadIdentity: i % 2 === 1 && i % 4 === 1,
        createdBy: owner.userId,
        createdByEmail: owner.email,
        createdAt: now,
        updatedAt: now,
      };
    };
    const hosts = hostStore(store);
    const profiles = profileStore(store);

    // The small workspace, listed while its container holds only its own 50 hosts.
    await throughput(SMALL_HOSTS, WRITERS, (i) => hosts.create(hostDoc(small.id, i)));
    const smallInput = { workspaceId: small.id, limit: PAGE };
    const smallFirst = await call<{ items: unknown[] }>(handler, smallBearer, "hosts.list", smallInput);
    if (smallFirst.items.length !== Math.min(PAGE, SMALL_HOSTS)) throw new Error(`hosts.list on the small workspace returned ${smallFirst.items.length} items`);
    await timeEach(WARMUP, () => call(handler, smallBearer, "hosts.list", smallInput));
    const smallBefore = percentile(await timeEach(CALLS, () => call(handler, smallBearer, "hosts.list", smallInput)), 50);
    emit({ bench: BENCH, metric: "hosts_list_50_p50_before_big_seed", value: smallBefore, unit: "ms" });

    // The big workspace: 10,000 hosts, then 10,000 profiles pointing at managed / one host / default Docker.
    const hostIds: string[] = new Array<string>(HOSTS);
    const profileIds: string[] = new Array<string>(PROFILES);
    const seedStarted = performance.now();
    await throughput(HOSTS, WRITERS, async (i) => {
      const doc = hostDoc(big.id, i);
      hostIds[i] = doc.id;
      await hosts.create(doc);
    });
    await throughput(PROFILES, WRITERS, async (i) => {
      const target = hostIds[(i * 31) % HOSTS]!;
      const settings: TProfileSettings = {
        name: `Profile ${String(i).padStart(5, "0")}`,
        hostChoice: i % 3 === 0 ? { kind: "managed" } : i % 3 === 1 ? { kind: "host", hostId: target } : { kind: "default-docker" },
        template: "shell",
        image: "discoparrot/sandbox",
        tag: "latest",
        resourceClass: (["small", "medium", "large", "xlarge"] as const)[i % 4]!,
        runtimeFamilies: i % 5 === 0 ? ["java"] : ["node"],
        workloadIdentity: null,
        persistentWorkspace: i % 2 === 0,
        idle: DEFAULT_IDLE_POLICY,
        warmPool: 0,
      };
      const doc: TProfile = newProfile(big.id, owner.userId, settings);
      profileIds[i] = doc.id;
      await profiles.create(doc);
    });
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    emit({ bench: BENCH, metric: "seed_documents", value: (HOSTS + PROFILES) / seedSeconds, unit: "ops/s" });

    // "My default Docker host" for the owner: a registered Docker host they registered (index 0).
    await ownerCaller.hosts.setMyDefaultDocker({ workspaceId: big.id, hostId: hostIds[0]! });

    // hosts.list, first page of 10,000.
    const listInput = { workspaceId: big.id, limit: PAGE };
    const first = await call<{ items: { name: string }[]; cursor?: string }>(handler, bigBearer, "hosts.list", listInput);
    if (first.items.length !== PAGE || !first.cursor) throw new Error(`hosts.list returned ${first.items.length} items (cursor ${first.cursor ? "set" : "absent"}); expected a full page of ${PAGE} and a cursor`);
    await timeEach(WARMUP, () => call(handler, bigBearer, "hosts.list", listInput));
    const bigList = emitLatency(BENCH, "hosts_list_first_page", await timeEach(CALLS, () => call(handler, bigBearer, "hosts.list", listInput)));

    // profiles.resolve, cycling through the profiles; counts how many would launch.
    let resolvedOk = 0;
    const resolve = (i: number) =>
      call<{ ok: boolean }>(handler, bigBearer, "profiles.resolve", { workspaceId: big.id, profileId: profileIds[(i * 17) % PROFILES]! });
    await timeEach(WARMUP, (i) => resolve(PROFILES - 1 - i));
    emitLatency(BENCH, 
      "profiles_resolve",
      await timeEach(CALLS, async (i) => {
        if ((await resolve(i)).ok) resolvedOk += 1;
      }),
    );
    emit({ bench: BENCH, metric: "profiles_resolve_ok_share", value: resolvedOk / CALLS, unit: "ratio" });

    // hosts.get, cycling through the hosts.
    const get = (i: number) => call<{ id: string }>(handler, bigBearer, "hosts.get", { workspaceId: big.id, hostId: hostIds[(i * 13) % HOSTS]! });
    await timeEach(WARMUP, (i) => get(HOSTS - 1 - i));
    emitLatency(BENCH, "host_get", await timeEach(CALLS, get));

    // The 50-host workspace again, now sharing the hosts container with 10,000 other hosts.
    await timeEach(WARMUP / 2, () => call(handler, smallBearer, "hosts.list", smallInput));
    const smallAfter = percentile(await timeEach(SMALL_AFTER_CALLS, () => call(handler, smallBearer, "hosts.list", smallInput)), 50);
    emit({ bench: BENCH, metric: "hosts_list_50_p50", value: smallAfter, unit: "ms" });
    emit({ bench: BENCH, metric: "hosts_list_p50_10k_vs_50", value: bigList / smallAfter, unit: "ratio" });
    emit({ bench: BENCH, metric: "hosts_list_50_p50_after_vs_before_big_seed", value: smallAfter / smallBefore, unit: "ratio" });

    // The store's share: the same first page straight from hostStore, no HTTP request, auth or tRPC.
    const storeList = await timeEach(STORE_CALLS, () => hosts.list(big.id, { limit: PAGE }));
    const storeP50 = percentile(storeList, 50);
    emit({ bench: BENCH, metric: "hosts_list_store_call_p50", value: storeP50, unit: "ms" });
    emit({ bench: BENCH, metric: "hosts_list_store_share_of_p50", value: storeP50 / bigList, unit: "ratio" });
  } finally {
    await store.close();
    // Forget the closed store and these settings, so a benchmark after this one opens its own.
    const holder = globalThis as Record<symbol, unknown>;
    delete holder[Symbol.for("discoparrot.store")];
    delete holder[Symbol.for("discoparrot.env")];
    for (const name of SETTINGS) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
