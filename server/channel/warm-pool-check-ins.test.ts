import { WebPubSubClient } from "@azure/web-pubsub-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHANNEL_EVENTS, MAX_REPORTED_WARM_POOLS, OPERATOR_COMMANDS, type TWarmPoolCount } from "@/prisma-free-schema";
import { OperatorChannel } from "@/operators/shared/operator-channel";
import { createOperatorLog } from "@/operators/shared/operator-log";
import { hubRefusal } from "@/operators/shared/check-ins";
import { FAST_TIMING } from "@/operators/shared/testing/started-channel";
import { warmSpecOf } from "../services/hosts/docker-pools";
import { hostStore } from "../store/host-store";
import { profileStore } from "../store/profile-store";
import { eventually } from "../testing/eventually";
import { profileSettings, registerHost } from "../testing/hosts-fixtures";
import { workspaceWithOwner } from "../testing/test-store";
import { type PlatformHarness, startPlatformHarness } from "./testing/platform-harness";

/**
 * The host page's warm-pool counts, end to end: the operators' own client reports them at
 * check-in, the platform keeps them on the host's presence, and the page reads them from there,
 * never asking the operator (one round trip per open page per poll, on the customer's machine).
 * An operator is the customer's program: what it reports is taken only within the schema, and
 * only ever shown against its own workspace's profiles.
 */
let platform: PlatformHarness;
const operators: OperatorChannel[] = [];
const clients: WebPubSubClient[] = [];

beforeAll(async () => {
  platform = await startPlatformHarness();
});
afterAll(async () => {
  for (const client of clients) client.stop();
  await Promise.all(operators.map((operator) => operator.stop()));
  await platform.stop();
});

/** A Local Docker host with a profile pinned to it that keeps `size` warm containers there, and that pool's definition key. */
async function hostWithPool(name: string, size: number) {
  const caller = platform.owner.ownerCaller;
  const workspaceId = platform.workspaceId;
  const { host, key } = await platform.hostWithKey(name);
  const profile = await caller.profiles.create({ workspaceId, ...profileSettings({ name: `Warm on ${name}`, hostChoice: { kind: "host", hostId: host.id } }) });
  const view = await caller.hosts.get({ workspaceId, hostId: host.id });
  await caller.hosts.updateDockerSettings({ workspaceId, hostId: host.id, revision: view.revision, settings: { network: "bridge", warmPools: [{ profileId: profile.id, size }] } });
  const definitionKey = warmSpecOf((await profileStore(platform.store).get(workspaceId, profile.id))!, (await hostStore(platform.store).get(workspaceId, host.id))!).definitionKey;
  return { host, key, profile, definitionKey };
}

const usageOf = (hostId: string) => platform.owner.ownerCaller.hosts.usage({ workspaceId: platform.workspaceId, hostId });

describe("warm-pool counts at check-in", () => {
  it("reach the host page from the operator's check-ins, soon after a pool fills, without the page sending the operator a command", async () => {
    const { host, key, profile, definitionKey } = await hostWithPool("warm-reporter", 2);
    let pools: TWarmPoolCount[] = [];
    const received: string[] = [];
    const operator = new OperatorChannel({
      settings: { platformUrl: platform.platformUrl, hostId: host.id, installKey: key },
      operatorVersion: "0.3.0",
      handlers: {
        [OPERATOR_COMMANDS.poolConfigure]: async () => (received.push(OPERATOR_COMMANDS.poolConfigure), { pools: [] }),
        [OPERATOR_COMMANDS.poolStatus]: async () => (received.push(OPERATOR_COMMANDS.poolStatus), { pools }),
      },
      health: () => ({}),
      warmPools: () => pools,
      log: createOperatorLog({ level: "error" }),
      // A regular check-in only once a minute: what shows within the wait below came out of turn.
      timing: { ...FAST_TIMING, checkInIntervalMs: 60_000 },
    });
    operators.push(operator);
    void operator.run();

    const empty = await eventually(() => usageOf(host.id), (usage) => usage.warmCounts === "live");
    expect(empty.profiles.find((one) => one.id === profile.id)?.warmPool).toEqual({ wanted: 2, ready: 0 });

    pools = [{ definitionKey, ready: 1, size: 2 }];
    operator.checkInSoon();
    const filling = await eventually(() => usageOf(host.id), (usage) => usage.profiles.some((one) => one.warmPool?.ready === 1));
    expect(filling.profiles.find((one) => one.id === profile.id)?.warmPool).toEqual({ wanted: 2, ready: 1 });
    expect(filling.countsAt).not.toBeNull();

    // However often the page asks, the operator is asked nothing (it was only told its pools when it connected).
    for (let poll = 0; poll < 5; poll += 1) await usageOf(host.id);
    expect(received).not.toContain(OPERATOR_COMMANDS.poolStatus);
  });

  it("refuses a check-in whose pools are oversized, negative or malformed, keeping the counts it had, and shows only its own workspace's profiles", async () => {
    const { host, key, profile, definitionKey } = await hostWithPool("warm-attacker", 1);
    // Another workspace's warm pool, whose definition key the attacker somehow knows.
    const rival = await workspaceWithOwner(platform.store, `rival-${Date.now()}@warm.example`);
    const rivalHost = await registerHost(rival.ownerCaller, rival.workspace.id, { name: "rival-docker", kind: "docker" });
    const rivalProfile = await rival.ownerCaller.profiles.create({ workspaceId: rival.workspace.id, ...profileSettings({ name: "Rival confidential", hostChoice: { kind: "host", hostId: rivalHost.id } }) });
    const rivalKey = warmSpecOf((await profileStore(platform.store).get(rival.workspace.id, rivalProfile.id))!, (await hostStore(platform.store).get(rival.workspace.id, rivalHost.id))!).definitionKey;

    // The customer's operator, written by an attacker: a bare client sending what it likes.
    const response = await fetch(`${platform.platformUrl}/api/operators/token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ hostId: host.id, key }) });
    const { url } = (await response.json()) as { url: string };
    const client = new WebPubSubClient(url, { autoReconnect: false });
    clients.push(client);
    await client.start();
    const checkIn = (warmPools: unknown) => client.sendEvent(CHANNEL_EVENTS.checkIn, { operatorVersion: "6.6.6", health: {}, warmPools } as never, "json");

    await checkIn([
      { definitionKey: rivalKey, ready: 7, size: 7 },
      { definitionKey, ready: 1, size: 1 },
    ]);
    const usage = await eventually(() => usageOf(host.id), (one) => one.warmCounts === "live");
    expect(usage.profiles.filter((one) => one.warmPool)).toEqual([{ id: profile.id, name: profile.name, via: "host", warmPool: { wanted: 1, ready: 1 } }]);
    expect(JSON.stringify(usage)).not.toContain(rivalProfile.id);
    expect(JSON.stringify(usage)).not.toContain("Rival confidential");
    const kept = await hostStore(platform.store).reportedWarmPools(platform.workspaceId, host.id);

    const tooMany = Array.from({ length: MAX_REPORTED_WARM_POOLS + 1 }, (_, index) => ({ definitionKey: index.toString(16).padStart(16, "0"), ready: 0, size: 0 }));
    const refused = [
      tooMany,
      [{ definitionKey, ready: -1, size: 1 }],
      [{ definitionKey, ready: 1_000_000, size: 1 }],
      [{ definitionKey, ready: 0.5, size: 1 }],
      [{ definitionKey: "<script>", ready: 1, size: 1 }],
      [
        { definitionKey, ready: 0, size: 1 },
        { definitionKey, ready: 1, size: 1 },
      ],
      "all of them",
    ];
    const answers = await Promise.all(refused.map((bad) => checkIn(bad).then(() => "taken", (error: unknown) => hubRefusal(error))));
    expect(answers).toEqual(refused.map(() => expect.stringContaining("The event handler answered 400")));
    expect(await hostStore(platform.store).reportedWarmPools(platform.workspaceId, host.id)).toEqual(kept);
    expect((await usageOf(host.id)).profiles.find((one) => one.id === profile.id)?.warmPool).toEqual({ wanted: 1, ready: 1 });
    // The rival's host never saw any of it.
    expect(await hostStore(platform.store).reportedWarmPools(rival.workspace.id, rivalHost.id)).toBeNull();
  });
});
