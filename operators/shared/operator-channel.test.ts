import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { CHANNEL_CAPABILITIES, type TWarmPoolCount } from "@/prisma-free-schema";
import { startPlatformDouble } from "./testing/platform-double";
import { startChannel } from "./testing/started-channel";

const MIB = 1024 * 1024;

describe("OperatorChannel: commands", () => {
  it("answers a command with the handler's result under the command's correlation id", async () => {
    const double = await startPlatformDouble();
    const { waitForStatus } = startChannel(double, { handlers: { "test.echo": async (payload) => ({ echoed: payload }) } });
    await waitForStatus("connected");

    const reply = await double.command("test.echo", { hello: "operator" });
    expect(reply).toMatchObject({ kind: "reply", type: "test.echo", payload: { echoed: { hello: "operator" } } });
    expect(reply.error).toBeUndefined();
    const replyEvents = double.events.filter((event) => event.event === "reply");
    expect(replyEvents.every((event) => event.userId === `host:${double.hostId}`)).toBe(true);
    expect(replyEvents.map((event) => (event.data as { correlationId: string }).correlationId)).toEqual([reply.correlationId]);
  });

  it("takes a chunked command of over 1 MiB and sends back a reply of over 1 MiB", async () => {
    const double = await startPlatformDouble();
    const { waitForStatus } = startChannel(double, { handlers: { "test.echo": async (payload) => payload } });
    await waitForStatus("connected");

    const blob = randomBytes(MIB).toString("base64"); // ~1.3 MiB of JSON: over 20 chunks each way
    const reply = await double.command("test.echo", { blob });
    expect((reply.payload as { blob: string }).blob).toBe(blob);
    // Over 16 envelopes went up, several to an event (the hub takes one event at a time per connection).
    const upstream = double.events.filter((event) => event.event === "reply" || event.event === "replies");
    const envelopes = upstream.flatMap((event) => (event.event === "replies" ? (event.data as unknown[]) : [event.data]));
    expect(envelopes.length).toBeGreaterThan(16);
    expect(upstream.length).toBeLessThan(envelopes.length);
  });

  it("answers an unknown command type with unknown_command", async () => {
    const double = await startPlatformDouble();
    const { waitForStatus } = startChannel(double);
    await waitForStatus("connected");

    const reply = await double.command("host.reboot", {});
    expect(reply.error).toEqual({ code: "unknown_command", message: "This operator does not handle host.reboot." });
  });

  it("answers a failing handler with handler_failed and its message, with the key redacted", async () => {
    const double = await startPlatformDouble();
    const { waitForStatus, lines } = startChannel(double, {
      handlers: {
        "test.fail": async () => {
          throw new Error(`disk full while writing config for ${double.installKey}`);
        },
      },
    });
    await waitForStatus("connected");

    const reply = await double.command("test.fail", {});
    expect(reply.error).toEqual({ code: "handler_failed", message: "disk full while writing config for opk_[redacted]" });
    expect(lines.join("")).not.toContain(double.installKey);
  });

  it("answers a handler that runs too long with timeout, and aborts its signal", async () => {
    const double = await startPlatformDouble();
    let aborted = false;
    const { waitForStatus } = startChannel(double, {
      timing: { handlerTimeoutMs: 300 },
      handlers: {
        "test.hang": (_payload, { signal }) =>
          new Promise(() => {
            signal.addEventListener("abort", () => (aborted = true));
          }),
      },
    });
    await waitForStatus("connected");

    const reply = await double.command("test.hang", {});
    expect(reply.error?.code).toBe("timeout");
    expect(aborted).toBe(true);
  });

  it("answers every command of a batch (several envelopes in one message, as it announced it takes), and drops a malformed batch whole", async () => {
    const double = await startPlatformDouble();
    const { waitForStatus, lines } = startChannel(double, { handlers: { "test.echo": async (payload) => payload } });
    await waitForStatus("connected");
    expect((await double.waitForCheckIn()).data).toMatchObject({ capabilities: [CHANNEL_CAPABILITIES.commandBatches] });

    const replies = await double.commandBatch([1, 2, 3].map((n) => ({ type: "test.echo", payload: n })));
    expect(replies.map((reply) => reply.payload)).toEqual([1, 2, 3]);

    await double.service.sendToUser(`host:${double.hostId}`, [{ do: "something" }]);
    expect((await double.command("test.echo", 4)).payload).toBe(4);
    expect(lines.some((line) => line.includes("dropped a batch that is not 1 to 64 channel envelopes"))).toBe(true);
  });

  it("drops a message that is not an envelope, logs it, and keeps answering", async () => {
    const double = await startPlatformDouble();
    const { waitForStatus, lines } = startChannel(double, { handlers: { "test.echo": async (payload) => payload } });
    await waitForStatus("connected");

    await double.service.sendToUser(`host:${double.hostId}`, { do: "something" });
    const reply = await double.command("test.echo", 42);
    expect(reply.payload).toBe(42);
    expect(lines.some((line) => line.includes("dropped a message that is not a channel envelope"))).toBe(true);
  });
});

describe("OperatorChannel: check-ins", () => {
  it("checks in right after connecting, with its version and health facts", async () => {
    const double = await startPlatformDouble();
    const { waitForStatus } = startChannel(double, { operatorVersion: "0.3.1" });
    await waitForStatus("connected");

    const checkIn = await double.waitForCheckIn();
    expect(checkIn.userId).toBe(`host:${double.hostId}`);
    expect(checkIn.data).toEqual({ operatorVersion: "0.3.1", health: { tester: true }, capabilities: [CHANNEL_CAPABILITIES.commandBatches] });
  });

  it("carries its warm pools, checks in again soon after they change, and leaves out counts that do not fit rather than miss a beat", async () => {
    const double = await startPlatformDouble();
    let pools: TWarmPoolCount[] = [];
    // A regular check-in only once a minute: the ones seen here came out of turn.
    const { channel, waitForStatus } = startChannel(double, { warmPools: () => pools, timing: { checkInIntervalMs: 60_000 } });
    await waitForStatus("connected");
    const first = await double.waitForCheckIn();
    expect(first.data).toMatchObject({ warmPools: [] });

    pools = [{ definitionKey: "0123456789abcdef", ready: 1, size: 2 }];
    channel.checkInSoon();
    const filled = await double.waitFor("a check-in with one ready", () => double.events.find((event) => event.event === "checkin" && JSON.stringify(event.data).includes('"ready":1')));
    expect(filled.data).toMatchObject({ warmPools: [{ definitionKey: "0123456789abcdef", ready: 1, size: 2 }], health: { tester: true } });

    pools = [{ definitionKey: "0123456789abcdef", ready: -1, size: 2 }];
    const before = double.events.length;
    channel.checkInSoon();
    const without = await double.waitFor("a check-in without pools", () => double.events.slice(before).find((event) => event.event === "checkin"));
    expect(without.data).toEqual({ operatorVersion: "0.1.0-test", health: { tester: true }, capabilities: [CHANNEL_CAPABILITIES.commandBatches] });
  });

  it("checks in again every interval", async () => {
    const double = await startPlatformDouble();
    startChannel(double, { timing: { checkInIntervalMs: 200 } });
    await double.waitFor("three check-ins", () => (double.events.filter((event) => event.event === "checkin").length >= 3 ? true : undefined));
  });
});

describe("OperatorChannel: staying connected", () => {
  it("reconnects by itself, with a fresh exchange, when the hub restarts on the same port", async () => {
    const double = await startPlatformDouble();
    const { waitForStatus, statuses } = startChannel(double, { handlers: { "test.echo": async (payload) => payload } });
    const first = await waitForStatus("connected");
    expect(double.exchanges).toHaveLength(1);

    const mark = statuses.length;
    await double.restartHub();
    const dropped = await waitForStatus("disconnected", mark);
    expect(dropped.reason).toBe("The hub is stopping.");
    const second = await waitForStatus("connected", mark);

    expect(second.connectionId).not.toBe(first.connectionId);
    expect(double.exchanges).toHaveLength(2);
    expect(statuses.slice(mark).some((status) => status.state === "reconnecting")).toBe(true);
    expect((await double.command("test.echo", "still here")).payload).toBe("still here");
  });

  it("drops and replaces a connection whose check-ins go unanswered", async () => {
    const double = await startPlatformDouble();
    const { waitForStatus, statuses } = startChannel(double, { timing: { requestTimeoutMs: 500, checkInIntervalMs: 100 } });
    const first = await waitForStatus("connected");

    const mark = statuses.length;
    double.stall("checkin");
    expect((await waitForStatus("disconnected", mark)).reason).toBe("check-in got no answer within 500 ms");
    expect((await waitForStatus("connected", mark)).connectionId).not.toBe(first.connectionId);
  });

  it("retries a platform that answers 503, then connects", async () => {
    const double = await startPlatformDouble();
    double.answerExchanges({ status: 503 });
    const { waitForStatus } = startChannel(double);
    const reconnecting = await waitForStatus("reconnecting");
    expect(reconnecting.reason).toBe("key exchange failed: the platform answered 503");
    await waitForStatus("connected");
    expect(double.exchanges.map((exchange) => exchange.status)).toEqual([503, 200]);
  });

  it("waits as long as a 429's Retry-After asks before exchanging again", async () => {
    const double = await startPlatformDouble();
    double.answerExchanges({ status: 429, headers: { "Retry-After": "1" } });
    const { waitForStatus } = startChannel(double);
    const reconnecting = await waitForStatus("reconnecting");
    expect(reconnecting.delayMs).toBeGreaterThanOrEqual(1000);
    await waitForStatus("connected");

    const [throttled, granted] = double.exchanges;
    expect(throttled!.status).toBe(429);
    expect(granted!.at - throttled!.at).toBeGreaterThanOrEqual(950);
  });

  it("exchanges again before the grant expires, without dropping the connection", async () => {
    const double = await startPlatformDouble({ expiresInSeconds: 3, renewBeforeSeconds: 1 });
    const { waitForStatus, statuses, lines } = startChannel(double);
    const connected = await waitForStatus("connected");

    await double.waitForExchanges(2);
    expect(statuses.filter((status) => status.state === "connected")).toEqual([connected]);
    expect(statuses.some((status) => status.state === "disconnected")).toBe(false);
    expect(await double.isConnected()).toBe(true);
    expect(lines.some((line) => line.includes("channel access renewed"))).toBe(true);
  });
});

describe("OperatorChannel: a rejected key", () => {
  it("stops as rejected when the exchange answers 401, and does not try again", async () => {
    const double = await startPlatformDouble();
    double.answerExchanges({ status: 401 });
    const { outcome, statuses, lines } = startChannel(double);

    expect(await outcome).toBe("rejected");
    expect(statuses.at(-1)).toMatchObject({ state: "rejected" });
    expect(double.exchanges).toHaveLength(1);
    const rejected = lines.map((line) => JSON.parse(line) as { level: string; msg: string }).find((line) => line.level === "error");
    expect(rejected?.msg).toMatch(/^install key rejected: .*download a new operator bundle/);
  });

  it("stops as rejected, and leaves the hub, when a renewal finds the key retired", async () => {
    const double = await startPlatformDouble({ expiresInSeconds: 3, renewBeforeSeconds: 1 });
    const { outcome, waitForStatus } = startChannel(double);
    await waitForStatus("connected");
    expect(await double.isConnected()).toBe(true);

    double.answerExchanges({ status: 401 }); // a new bundle was downloaded: this key is retired
    expect(await outcome).toBe("rejected");
    expect(await double.isConnected()).toBe(false);
  });
});

describe("OperatorChannel: stop()", () => {
  it("closes the connection (the hub sees the host leave) and leaves no timer running", async () => {
    const double = await startPlatformDouble();
    const timersBefore = activeTimers();
    const { channel, outcome, waitForStatus } = startChannel(double, { timing: { checkInIntervalMs: 100 } });
    await waitForStatus("connected");
    await double.waitForCheckIn();
    expect(await double.isConnected()).toBe(true);

    await channel.stop();
    expect(await outcome).toBe("stopped");
    expect(channel.status).toEqual({ state: "stopped" });
    expect(await double.isConnected()).toBe(false);
    expect(activeTimers()).toBeLessThanOrEqual(timersBefore);
  });

  it("stops while the platform is unreachable, mid-backoff", async () => {
    const double = await startPlatformDouble();
    double.answerExchanges(...Array.from({ length: 50 }, () => ({ status: 503 })));
    const timersBefore = activeTimers();
    const { channel, outcome, waitForStatus } = startChannel(double);
    await waitForStatus("reconnecting");

    await channel.stop();
    expect(await outcome).toBe("stopped");
    const exchanges = double.exchanges.length;
    expect(activeTimers()).toBeLessThanOrEqual(timersBefore);
    await new Promise((resolve) => setTimeout(resolve, 300)); // longer than the test backoff: nothing more may happen
    expect(double.exchanges).toHaveLength(exchanges);
  });

  it("never writes the install key to its log", async () => {
    const double = await startPlatformDouble();
    double.answerExchanges({ status: 503 });
    const { channel, waitForStatus, lines, statuses } = startChannel(double, { handlers: { "test.echo": async (payload) => payload } });
    await waitForStatus("connected");
    await double.command("test.echo", { note: `the key is ${double.installKey}` });
    const mark = statuses.length;
    await double.restartHub();
    await waitForStatus("connected", mark);
    await channel.stop();

    expect(lines.length).toBeGreaterThan(5);
    for (const line of lines) expect(line).not.toContain(double.installKey);
    expect(lines.join("")).not.toMatch(/access_token=(?!\[redacted\])/);
  });
});

/** Timers keeping the process alive (unref'd ones, such as AbortSignal.timeout's, do not count). */
function activeTimers(): number {
  return process.getActiveResourcesInfo().filter((resource) => resource === "Timeout").length;
}
