import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { auditStore } from "../../store/audit-store";
import { profileStore } from "../../store/profile-store";
import { openTestStore } from "../../testing/test-store";
import { AUDIT_PENDING_MS, settlePendingAudits } from "./append-audit-event";

/**
 * 2,000 audited profile creations, the process killed with SIGKILL in the middle of them: once the
 * store is opened again and the schedule's settling pass has run, every profile that exists has
 * its one `profile.created` row and no such row names a profile that does not exist.
 */
const COUNT = 2000;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "dp-audited-kill-"));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe("audited creations killed with SIGKILL in the middle", () => {
  it("leave every stored profile with its one row, and no row for a profile that does not exist", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(__dirname, "audited-creations.fixture.ts"), dataDir, String(COUNT)], {
      cwd: path.resolve(__dirname, "../../.."),
      env: { ...process.env, LOG_LEVEL: "error", MAX_PROFILES_PER_WORKSPACE: String(COUNT + 10) },
      stdio: ["ignore", "pipe", "inherit"],
    });
    const exited = new Promise((resolve) => child.once("exit", resolve));
    let workspaceId = "";
    await new Promise<void>((resolve, reject) => {
      let out = "";
      child.stdout!.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        for (const line of out.split("\n").filter((candidate) => candidate.startsWith("{"))) {
          const fact = JSON.parse(line) as { workspaceId?: string; created?: number };
          if (fact.workspaceId) workspaceId = fact.workspaceId;
          if ((fact.created ?? 0) >= COUNT / 2) resolve();
        }
      });
      child.once("exit", () => reject(new Error(`the creations ended before the middle: ${out.slice(-500)}`)));
    });
    child.kill("SIGKILL");
    await exited;

    const store = await openTestStore(dataDir);
    try {
      // The settling pass as the schedule runs it, once rows left pending are past their time.
      const settled = await settlePendingAudits(store, new Date(Date.now() + AUDIT_PENDING_MS + 1_000));
      const profiles = new Set<string>();
      for (let cursor: string | undefined, first = true; first || cursor; first = false) {
        const page = await profileStore(store).list(workspaceId, { limit: 500, cursor });
        for (const profile of page.items) if (profile.name !== "Default") profiles.add(profile.id);
        cursor = page.cursor;
      }
      const rows: string[] = [];
      for (let cursor: string | undefined, first = true; first || cursor; first = false) {
        const page = await auditStore(store).list(workspaceId, { eventType: "profile.created", limit: 500, cursor });
        rows.push(...page.items.map((row) => row.target.id));
        cursor = page.cursor;
      }
      expect(profiles.size).toBeGreaterThanOrEqual(COUNT / 2);
      expect(profiles.size).toBeLessThan(COUNT);
      expect(rows.filter((id) => !profiles.has(id)), "rows naming a profile that does not exist").toEqual([]);
      expect([...profiles].filter((id) => !rows.includes(id)), "profiles without their row").toEqual([]);
      expect(new Set(rows).size).toBe(rows.length);
      expect(await auditStore(store).stalePending(new Date(Date.now() + 10 * AUDIT_PENDING_MS).toISOString())).toEqual([]);
      // Eight callers were mid-creation when the kill came (their rows written, most waiting on the
      // workspace's cap lock): each row the kill left pending was settled, kept or removed.
      expect(settled.confirmed + settled.discarded).toBeGreaterThan(0);
      expect(settled.confirmed + settled.discarded).toBeLessThanOrEqual(8);
    } finally {
      await store.close();
    }
  }, 180_000);
});
