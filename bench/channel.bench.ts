/**
 * A command's round trip through the embedded hub — platform → hub REST → operator's
 * WebSocket → handler → CloudEvent to the platform's event handler → reply matched by
 * correlation id — at concurrency 1 and 100, beside a bare WebSocket echo on loopback measured in
 * the same run, so the ratio says what the protocol and its hops cost over the socket itself.
 */
import type { AddressInfo } from "node:net";
import { WebSocket, WebSocketServer } from "ws";
import { hostUserId } from "@/prisma-free-schema";
import { OperatorChannel } from "../operators/shared/operator-channel";
import { createOperatorLog } from "../operators/shared/operator-log";
import { startPlatformHarness } from "../server/channel/testing/platform-harness";
import { AS_DEPLOYED, emit, emitLatency } from "./measure";

const SEQUENTIAL = 500;
const CONCURRENT = 2000;
const IN_FLIGHT = 100;
const PAYLOAD = { probe: "x".repeat(200) };

/** Runs `count` operations with `concurrency` in flight; returns each one's latency in ms, sorted. */
async function latencies(count: number, concurrency: number, operation: (i: number) => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        const start = performance.now();
        await operation(i);
        times.push(performance.now() - start);
      }
    }),
  );
  return times.sort((a, b) => a - b);
}

async function bareEcho() {
  const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  server.on("connection", (socket) => socket.on("message", (data) => socket.send(data)));
  await new Promise((resolve) => server.once("listening", resolve));
  const socket = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
  await new Promise((resolve, reject) => socket.once("open", resolve).once("error", reject));
  const waiting = new Map<number, () => void>();
  socket.on("message", (data) => waiting.get((JSON.parse(String(data)) as { id: number }).id)?.());
  const echo = (id: number) =>
    new Promise<void>((resolve) => {
      waiting.set(id, () => {
        waiting.delete(id);
        resolve();
      });
      socket.send(JSON.stringify({ id, ...PAYLOAD }));
    });
  return {
    echo,
    async close() {
      socket.close();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

export async function run(): Promise<void> {
  const platform = await startPlatformHarness(AS_DEPLOYED);
  const { host, key } = await platform.hostWithKey("bench-host");
  const operator = new OperatorChannel({
    settings: { platformUrl: platform.platformUrl, hostId: host.id, installKey: key },
    operatorVersion: "bench",
    handlers: { "bench.echo": async (payload) => payload },
    health: () => ({}),
    log: createOperatorLog({ level: "error", write: (line) => void process.stderr.write(line) }),
  });
  const connected = new Promise<void>((resolve) => operator.on("status", (status) => status.state === "connected" && resolve()));
  void operator.run();
  await connected;
  const target = hostUserId(host.id);
  const command = () => platform.channel.platform.send(target, "bench.echo", PAYLOAD);
  const echo = await bareEcho();

  try {
    // Warm both paths: JIT, sockets, the event handler's first-use validation.
    await latencies(200, 10, command);
    await latencies(200, 10, (i) => echo.echo(-1 - i));

    for (const [label, count, concurrency] of [["c1", SEQUENTIAL, 1], [`c${IN_FLIGHT}`, CONCURRENT, IN_FLIGHT]] as const) {
      const started = performance.now();
      const channel = await latencies(count, concurrency, command);
      const seconds = (performance.now() - started) / 1000;
      const bare = await latencies(count, concurrency, (i) => echo.echo(i));
      const roundTrip = emitLatency("channel", `command_round_trip_${label}`, channel);
      emit({ bench: "channel", metric: `command_throughput_${label}`, value: count / seconds, unit: "ops/s" });
      const bareEchoP50 = emitLatency("channel", `bare_ws_echo_${label}`, bare);
      emit({ bench: "channel", metric: `round_trip_vs_bare_ws_${label}_p50`, value: roundTrip / bareEchoP50, unit: "ratio" });
    }
  } finally {
    await echo.close();
    await operator.stop();
    await platform.stop();
  }
}
