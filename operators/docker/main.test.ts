import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HOST_HEALTH, newId, OPERATOR_COMMANDS, ZHostHealthReply } from "@/prisma-free-schema";
import { afterThisTest, startPlatformDouble } from "../shared/testing/platform-double";
import { sampleSpec, startTestEngine, type TestEngine } from "./testing/test-engine";

/** The Docker operator as a customer runs it: a separate process, its exit code and its log lines. */
const REPO = path.resolve(__dirname, "../..");

let engine: TestEngine;
beforeAll(async () => {
  engine = await startTestEngine();
});
afterAll(async () => {
  await engine?.stop();
});

function runDockerOperator(env: Record<string, string>) {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("DISCOPARROT_") && name !== "DOCKER_HOST"));
  const child = spawn(process.execPath, ["--import", "tsx", "operators/docker/main.ts"], { cwd: REPO, env: { ...inherited, ...env } as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] });
  afterThisTest(() => void (child.exitCode === null && child.signalCode === null && child.kill("SIGKILL")));
  let stdout = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, exited, messages: () => stdout.split("\n").filter(Boolean).map((line) => (JSON.parse(line) as { msg: string }).msg) };
}

function settingsEnv(double: { platformUrl: string; hostId: string; installKey: string }) {
  return {
    DISCOPARROT_INSTALL_KEY: double.installKey,
    DISCOPARROT_PLATFORM_URL: double.platformUrl,
    DISCOPARROT_HOST_ID: double.hostId,
    DISCOPARROT_HOST_NAME: "dev-laptop",
    DISCOPARROT_WORKSPACE_ID: newId("ws"),
  };
}

describe("operators/docker/main.ts", () => {
  it("reports the engine in host.health and its check-ins, and exits 0 on SIGTERM", async () => {
    const double = await startPlatformDouble();
    const operator = runDockerOperator({ ...settingsEnv(double), DOCKER_HOST: `unix://${engine.socketPath}`, DISCOPARROT_SANDBOX_NETWORK: "host" });
    const checkIn = await double.waitForCheckIn();
    expect(checkIn.data).toMatchObject({ health: { engine: expect.stringMatching(/^\d+\.\d+/), containers: 0, network: "host" } });
    const health = ZHostHealthReply.parse((await double.command(HOST_HEALTH, {})).payload);
    expect(health.health).toMatchObject({ engine: expect.any(String), containers: 0, network: "host" });
    operator.child.kill("SIGTERM");
    expect(await operator.exited).toBe(0);
  });

  it("reports its warm pool at check-in, soon after it fills rather than at the next regular one", async () => {
    const double = await startPlatformDouble();
    const operator = runDockerOperator({ ...settingsEnv(double), DOCKER_HOST: `unix://${engine.socketPath}`, DISCOPARROT_SANDBOX_NETWORK: "host" });
    expect((await double.waitForCheckIn()).data).toMatchObject({ warmPools: [] });
    const spec = sampleSpec();
    await double.command(OPERATOR_COMMANDS.poolConfigure, { pools: [{ spec, size: 1 }] });
    // Regular check-ins are 15 s apart: one within 12 s of the pool filling came because it filled.
    const filled = await double.waitFor(
      "a check-in with the warm container ready",
      () => double.events.find((event) => event.event === "checkin" && JSON.stringify(event.data).includes(`"ready":1`)),
      12_000,
    );
    expect(filled.data).toMatchObject({ warmPools: [{ definitionKey: spec.definitionKey, ready: 1, size: 1 }] });
    // Drained, so the engine is left as it was found.
    await double.command(OPERATOR_COMMANDS.poolConfigure, { pools: [] });
    operator.child.kill("SIGTERM");
    expect(await operator.exited).toBe(0);
  }, 30_000);

  it("exits 2 with one clear line when the engine cannot be reached", async () => {
    const double = await startPlatformDouble();
    const operator = runDockerOperator({ ...settingsEnv(double), DOCKER_HOST: "unix:///nonexistent/docker.sock" });
    expect(await operator.exited).toBe(2);
    expect(operator.messages()).toEqual([expect.stringMatching(/^cannot reach the container engine at DOCKER_HOST=unix:\/\/\/nonexistent\/docker\.sock: /)]);
    expect(double.exchanges).toEqual([]);
  });

  it("exits 2 on a DOCKER_HOST it cannot understand or a sandbox network that does not exist", async () => {
    const double = await startPlatformDouble();
    const badHost = runDockerOperator({ ...settingsEnv(double), DOCKER_HOST: "ssh://somewhere" });
    expect(await badHost.exited).toBe(2);
    expect(badHost.messages()).toEqual(["invalid operator setting DOCKER_HOST: use unix:///path/to.sock or tcp://host:port"]);
    const badNetwork = runDockerOperator({ ...settingsEnv(double), DOCKER_HOST: `unix://${engine.socketPath}`, DISCOPARROT_SANDBOX_NETWORK: "no-such-network" });
    expect(await badNetwork.exited).toBe(2);
    expect(badNetwork.messages()).toEqual(["invalid operator setting DISCOPARROT_SANDBOX_NETWORK: network no-such-network does not exist on the engine"]);
  });
});
