import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HOST_HEALTH, hostUserId, ZHostHealthReply } from "@/prisma-free-schema";
import { type ChannelTiming, OperatorChannel } from "@/operators/shared/operator-channel";
import { createOperatorLog } from "@/operators/shared/operator-log";
import { FAST_TIMING } from "@/operators/shared/testing/started-channel";
import { markSilentHostsDropped } from "../services/presence/host-presence";
import { eventually } from "../testing/eventually";
import { type PlatformHarness, startPlatformHarness } from "./testing/platform-harness";

/**
 * The platform and the operators' own client together, through the embedded hub: what a host
 * admin sees when an operator comes, answers, goes, survives a platform restart, and loses its key.
 */
let platform: PlatformHarness;
const operators: OperatorChannel[] = [];

beforeAll(async () => {
  platform = await startPlatformHarness();
});
afterAll(async () => {
  await Promise.all(operators.map((operator) => operator.stop()));
  await platform.stop();
});

function operatorFor(hostId: string, key: string, timing: Partial<ChannelTiming> = {}) {
  const lines: string[] = [];
  const operator = new OperatorChannel({
    settings: { platformUrl: platform.platformUrl, hostId, installKey: key },
    operatorVersion: "0.2.0",
    handlers: { [HOST_HEALTH]: async () => ({ operatorVersion: "0.2.0", health: { engine: "test" } }) },
    health: () => ({ engine: "test" }),
    log: createOperatorLog({ level: "debug", write: (line) => lines.push(line) }),
    timing: { ...FAST_TIMING, ...timing },
  });
  operators.push(operator);
  const outcome = operator.run();
  return { operator, outcome, lines };
}


describe("an operator on the channel", () => {
  it("registers, answers host.health, and reports its version and health", async () => {
    const { host, key } = await platform.hostWithKey("roundtrip-health");
    operatorFor(host.id, key);
    const registered = await eventually(() => platform.host(host.id), (h) => h?.operatorVersion === "0.2.0");
    expect(registered).toMatchObject({ status: "registered", operatorVersion: "0.2.0", health: { engine: "test" } });
    const reply = ZHostHealthReply.parse(await platform.channel.platform.send(hostUserId(host.id), HOST_HEALTH, {}));
    expect(reply.health.engine).toBe("test");
  });

  it("answers 100 concurrent commands, sent down and answered up a batch at a time rather than one hub message each", async () => {
    const { host, key } = await platform.hostWithKey("roundtrip-hundred");
    operatorFor(host.id, key);
    // Checked in (its version recorded): the platform has heard what it understands.
    await eventually(() => platform.host(host.id), (h) => h?.operatorVersion === "0.2.0");
    const before = platform.hubEvents.length;
    // Every message the platform hands the hub for this operator, counted on the way.
    const service = platform.channel.platform.service;
    const sendToUser = service.sendToUser.bind(service);
    let messages = 0;
    service.sendToUser = ((...args: Parameters<typeof sendToUser>) => {
      messages += 1;
      return sendToUser(...args);
    }) as typeof service.sendToUser;
    const replies = await Promise.all(Array.from({ length: 100 }, () => platform.channel.platform.send(hostUserId(host.id), HOST_HEALTH, {}).then(ZHostHealthReply.parse))).finally(() => {
      service.sendToUser = sendToUser;
    });
    expect(replies.every((reply) => reply.health.engine === "test")).toBe(true);
    // Its check-in said it takes command batches: the hundred went down in a few messages.
    expect(messages).toBeLessThan(10);
    const upstream = platform.hubEvents.slice(before).filter((event) => /^azure\.webpubsub\.user\.(reply|replies)$/.test(String(event.headers["ce-type"])));
    // Every reply arrived, in fewer upstream events than replies.
    expect(upstream.length).toBeLessThan(100);
    expect(upstream.some((event) => event.headers["ce-type"] === "azure.webpubsub.user.replies")).toBe(true);
  });

  it("settles a command once: its captured reply, replayed verbatim or later, is acknowledged and settles nothing", async () => {
    const { host, key } = await platform.hostWithKey("roundtrip-replayed-reply");
    operatorFor(host.id, key);
    await eventually(() => platform.host(host.id), (h) => h?.operatorVersion === "0.2.0");
    const before = platform.hubEvents.length;
    await platform.channel.platform.send(hostUserId(host.id), HOST_HEALTH, {});
    const reply = platform.hubEvents.slice(before).find((event) => /^azure\.webpubsub\.user\.(reply|replies)$/.test(String(event.headers["ce-type"])));
    expect(reply).toBeDefined();
    // Replies claim no ce-id (they are idempotent): a hub retry or a replay is acknowledged…
    expect((await platform.postHubEvent(reply!)).status).toBe(204);
    // …and settles nothing: the next command waits for, and gets, its own answer.
    const next = platform.channel.platform.send(hostUserId(host.id), HOST_HEALTH, {});
    expect((await platform.postHubEvent(reply!)).status).toBe(204);
    expect(ZHostHealthReply.parse(await next).health.engine).toBe("test");
  });

  it("comes back by itself after the platform's hub restarts, and commands work again", async () => {
    const { host, key } = await platform.hostWithKey("roundtrip-restart");
    operatorFor(host.id, key);
    await eventually(() => platform.host(host.id), (h) => h?.status === "registered");

    await platform.restartHub();
    const back = await eventually(
      () => platform.channel.platform.send(hostUserId(host.id), HOST_HEALTH, {}, { timeoutMs: 1000 }).then(ZHostHealthReply.parse).catch(() => undefined),
      Boolean,
      15_000,
    );
    expect(back?.operatorVersion).toBe("0.2.0");
    expect((await platform.host(host.id))?.status).toBe("registered");
  });

  it("is disconnected and refused once a new bundle retires its key", async () => {
    const { host, key } = await platform.hostWithKey("roundtrip-retired");
    const { outcome, lines } = operatorFor(host.id, key);
    await eventually(() => platform.host(host.id), (h) => h?.status === "registered");

    const bundle = await platform.owner.ownerCaller.hosts.downloadOperatorBundle({ workspaceId: platform.workspaceId, hostId: host.id });
    expect(bundle.fingerprint).not.toBe(host.installKeyFingerprint);
    await expect(outcome).resolves.toBe("rejected");
    expect((await eventually(() => platform.host(host.id), (h) => h?.status === "disconnected"))?.status).toBe("disconnected");
    expect(lines.join("")).not.toContain(key);
  });

  it("shows a host dropped after 45 s without a check-in, even when the hub saw no disconnect", async () => {
    const { host, key } = await platform.hostWithKey("roundtrip-silent");
    operatorFor(host.id, key, { checkInIntervalMs: 1000 });
    const seen = await eventually(() => platform.host(host.id), (h) => h?.status === "registered");
    const lastSeen = Date.parse(seen!.lastSeenAt!);

    await markSilentHostsDropped(platform.store, new Date(lastSeen + 44_000));
    expect((await platform.host(host.id))?.status).toBe("registered");
    await markSilentHostsDropped(platform.store, new Date(Date.now() + 46_000));
    expect((await platform.host(host.id))?.status).toBe("disconnected");
    // Its next check-in brings it back.
    expect((await eventually(() => platform.host(host.id), (h) => h?.status === "registered"))?.status).toBe("registered");
  });
});
