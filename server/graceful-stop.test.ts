import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CONTAINERS } from "@/prisma-free-schema";
import { openTestStore } from "./testing/test-store";

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "dp-stop-"));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe("a platform sent SIGTERM", () => {
  it("ends its open event streams, gives its leases up and exits within 5 s", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(__dirname, "graceful-stop.fixture.ts"), dataDir], { stdio: ["ignore", "pipe", "inherit"] });
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    const { url, bearer, holds } = await new Promise<{ url: string; bearer: string; holds: boolean }>((resolve, reject) => {
      let out = "";
      child.stdout!.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        const line = out.split("\n").find((candidate) => candidate.startsWith("{"));
        if (line && out.includes("\n")) resolve(JSON.parse(line));
      });
      child.once("exit", () => reject(new Error(`the platform exited before it was ready: ${out}`)));
    });
    expect(holds).toBe(true);

    // A watcher with the stream open, caught up to seq 3.
    const response = await fetch(url, { headers: { authorization: `Bearer ${bearer}` } });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    let text = "";
    while (!text.includes("id: 3\n")) text += new TextDecoder().decode((await reader.read()).value);

    const signalledAt = Date.now();
    child.kill("SIGTERM");
    // The stream ends cleanly (EventSource then reconnects with its last id), and the process exits.
    for (;;) {
      const { done } = await reader.read();
      if (done) break;
    }
    expect(await exited).toBe(143);
    expect(Date.now() - signalledAt).toBeLessThan(5_000);

    // What it held in the store it gave up: no job lease, no stream slot.
    const store = await openTestStore(dataDir);
    try {
      const count = async (container: (typeof CONTAINERS)[keyof typeof CONTAINERS], where: string) =>
        (await (await store.container(container)).items.query<number>(`SELECT VALUE COUNT(1) FROM c WHERE ${where}`).fetchAll()).resources[0] ?? 0;
      expect(await count(CONTAINERS.system, "c.type = 'jobLease'")).toBe(0);
      expect(await count(CONTAINERS.streamLeases, "true")).toBe(0);
    } finally {
      await store.close();
    }
  }, 60_000);
});
