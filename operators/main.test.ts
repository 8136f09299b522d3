import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { HOST_HEALTH, ZHostHealthReply } from "@/prisma-free-schema";
import { sampleBundleSettings } from "@/server/services/bundles/bundle-settings.fixture";
import { renderComposeBundle } from "@/server/services/bundles/render-compose-bundle";
import { renderKubernetesBundle } from "@/server/services/bundles/render-kubernetes-bundle";
import { afterThisTest, type PlatformDouble, startPlatformDouble } from "./shared/testing/platform-double";

/**
 * The entry as a customer runs it: a separate process (`node --import tsx`, what `npm run
 * operator` does), its stdout read line by line, its exit code checked. Exiting by itself after
 * SIGTERM is the proof that nothing (timer, socket) was left running.
 */
const REPO = path.resolve(__dirname, "..");

function runOperator(args: string[], env: Record<string, string>) {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("DISCOPARROT_")));
  const child = spawn(process.execPath, ["--import", "tsx", "operators/main.ts", ...args], { cwd: REPO, env: { ...inherited, ...env } as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] });
  afterThisTest(() => void (child.exitCode === null && child.signalCode === null && child.kill("SIGKILL")));
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return {
    child,
    exited: withDeadline(exited, "the operator to exit"),
    output: () => ({ stdout, stderr, lines: stdout.split("\n").filter(Boolean) }),
    /** Every stdout line is one JSON object with time, level and msg. */
    records: () => stdout.split("\n").filter(Boolean).map((line) => JSON.parse(line) as { level: string; msg: string }),
  };
}

async function bundleDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "operator-main-"));
  afterThisTest(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

function bundleSettings(double: PlatformDouble, kind: "docker" | "kubernetes", installKey = double.installKey) {
  return sampleBundleSettings(kind, { host: { id: double.hostId }, platformUrl: double.platformUrl, installKey });
}

function withDeadline<T>(promise: Promise<T>, what: string, ms = 8_000): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms))),
  ]);
}

describe("operators/main.ts", () => {
  it("runs from a Compose bundle, answers host.health, checks in, and exits 0 on SIGTERM", async () => {
    const double = await startPlatformDouble();
    const dir = await bundleDir();
    const bundle = renderComposeBundle(bundleSettings(double, "docker"));
    await writeFile(path.join(dir, bundle.filename), bundle.content);
    await writeFile(path.join(dir, bundle.envFile.filename), bundle.envFile.content);

    // A newer operator version with the same key: the key belongs to the host, not the version.
    const operator = runOperator(["--bundle", path.join(dir, bundle.filename)], { DISCOPARROT_OPERATOR_VERSION: "0.2.0" });
    const checkIn = await double.waitForCheckIn();
    expect(double.exchanges[0]!.body).toEqual({ hostId: double.hostId, key: double.installKey, operatorVersion: "0.2.0" });
    expect(checkIn.data).toMatchObject({ operatorVersion: "0.2.0", health: { nodeVersion: process.version, platform: process.platform } });

    const reply = await double.command(HOST_HEALTH, {});
    const health = ZHostHealthReply.parse(reply.payload);
    expect(health.operatorVersion).toBe("0.2.0");
    expect(Object.keys(health.health).sort()).toEqual(["arch", "hostname", "nodeVersion", "platform", "uptimeSeconds"]);

    operator.child.kill("SIGTERM");
    expect(await operator.exited).toBe(0);
    expect(await double.isConnected()).toBe(false);
    const { stdout, stderr } = operator.output();
    expect(operator.records().map((record) => record.msg)).toEqual(expect.arrayContaining(["settings from the bundle", "connected", "stopping", "stopped"]));
    expect(operator.records().some((record) => record.msg.startsWith("still running"))).toBe(false);
    expect(stdout + stderr).not.toContain(double.installKey);
  });

  it("exits 3 when the platform rejects the key of a Kubernetes bundle, saying to download a new one", async () => {
    const double = await startPlatformDouble();
    const dir = await bundleDir();
    const retiredKey = "opk_retiredRETIRED0123456789";
    const bundle = renderKubernetesBundle(bundleSettings(double, "kubernetes", retiredKey));
    await writeFile(path.join(dir, bundle.filename), bundle.content);

    const operator = runOperator(["--bundle", path.join(dir, bundle.filename)], {});
    expect(await operator.exited).toBe(3);
    expect(double.exchanges.map((exchange) => exchange.status)).toEqual([401]);
    const last = operator.records().at(-1)!;
    expect(last.level).toBe("error");
    expect(last.msg).toMatch(/^install key rejected: .*download a new operator bundle/);
    expect(JSON.stringify(operator.output())).not.toContain(retiredKey);
  });

  it("exits 2 with one line naming a bad setting, never echoing the key", async () => {
    const settings = {
      DISCOPARROT_PLATFORM_URL: "https://parrot.example.com",
      DISCOPARROT_HOST_ID: "host_zyxwvutsrqpnmkjihgfe",
      DISCOPARROT_HOST_NAME: "dev-laptop",
      DISCOPARROT_WORKSPACE_ID: "ws_abcdefghijkmnpqrstuv",
    };
    const badHost = runOperator([], { ...settings, DISCOPARROT_INSTALL_KEY: "opk_FAKEfake0123456789abcdef", DISCOPARROT_HOST_ID: "dev-laptop" });
    const badKey = runOperator([], { ...settings, DISCOPARROT_INSTALL_KEY: "pasted the wrong thing opk_x" });
    expect(await badHost.exited).toBe(2);
    expect(await badKey.exited).toBe(2);

    expect(badHost.records()).toEqual([expect.objectContaining({ level: "error", msg: "invalid operator setting DISCOPARROT_HOST_ID: Must be a host_… id" })]);
    expect(badKey.records()).toEqual([
      expect.objectContaining({ level: "error", msg: "invalid operator setting DISCOPARROT_INSTALL_KEY: must be the opk_… install key from the bundle (got 28 characters)" }),
    ]);
    expect(JSON.stringify(badKey.output())).not.toContain("pasted the wrong thing");
  });
});

