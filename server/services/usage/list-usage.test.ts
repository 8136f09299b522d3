import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "@/prisma-free-schema";
import { openTestStore, workspaceWithOwner, type TestStore, type TestWorkspace } from "../../testing/test-store";
import { usageStore } from "../../store/usage-store";
import { listUsage } from "./list-usage";

let store: TestStore;
let team: TestWorkspace;
let other: TestWorkspace;
const build = newId("prof");
const review = newId("prof");
const theirs = newId("prof");
const NOW = new Date("2025-06-15T12:00:00.000Z");

beforeAll(async () => {
  store = await openTestStore();
  team = await workspaceWithOwner(store, "ana@usage.example");
  other = await workspaceWithOwner(store, "oz@usage.example");
  const usage = usageStore(store);
  await usage.add({ workspaceId: team.workspace.id, day: "2025-06-15", profileId: build, profileName: "build", sandboxId: newId("sbx"), until: "2025-06-15T23:59:59.000Z" }, 600);
  await usage.add({ workspaceId: team.workspace.id, day: "2025-06-15", profileId: review, profileName: "review", sandboxId: newId("sbx"), until: "2025-06-15T23:59:59.000Z" }, 1800);
  await usage.add({ workspaceId: team.workspace.id, day: "2025-06-15", profileId: build, profileName: "build", sandboxId: newId("sbx"), until: "2025-06-15T23:59:59.000Z" }, 60);
  await usage.add({ workspaceId: team.workspace.id, day: "2025-06-01", profileId: build, profileName: "build", sandboxId: newId("sbx"), until: "2025-06-01T23:59:59.000Z" }, 3600);
  await usage.add({ workspaceId: team.workspace.id, day: "2025-05-20", profileId: review, profileName: "review", sandboxId: newId("sbx"), until: "2025-05-20T23:59:59.000Z" }, 7200);
  // Outside a 30-day window ending 2025-06-15 (which starts 2025-05-17), and a day after "today".
  await usage.add({ workspaceId: team.workspace.id, day: "2025-05-16", profileId: build, profileName: "build", sandboxId: newId("sbx"), until: "2025-05-16T23:59:59.000Z" }, 99_999);
  await usage.add({ workspaceId: team.workspace.id, day: "2025-06-16", profileId: build, profileName: "build", sandboxId: newId("sbx"), until: "2025-06-16T23:59:59.000Z" }, 88_888);
  await usage.add({ workspaceId: other.workspace.id, day: "2025-06-15", profileId: theirs, profileName: "theirs", sandboxId: newId("sbx"), until: "2025-06-15T23:59:59.000Z" }, 5000);
});
afterAll(() => store.destroy());

describe("listUsage", () => {
  it("sums per day and per profile inside the window, and this month against the allowance", async () => {
    const report = await listUsage({ store, workspaceId: team.workspace.id, days: 30, now: NOW });
    expect(report.fromDay).toBe("2025-05-17");
    expect(report.toDay).toBe("2025-06-15");
    expect(report.days.map((day) => [day.day, day.seconds])).toEqual([
      ["2025-06-15", 2460],
      ["2025-06-01", 3600],
      ["2025-05-20", 7200],
    ]);
    expect(report.days[0]?.profiles).toEqual([
      { profileId: review, profileName: "review", seconds: 1800 },
      { profileId: build, profileName: "build", seconds: 660 },
    ]);
    expect(report.profiles).toEqual([
      { profileId: review, profileName: "review", seconds: 9000 },
      { profileId: build, profileName: "build", seconds: 4260 },
    ]);
    expect(report.windowSeconds).toBe(13_260);
    expect(report.month).toEqual({ fromDay: "2025-06-01", seconds: 6060 });
  });

  it("never mixes another workspace's rows in", async () => {
    const ours = await listUsage({ store, workspaceId: team.workspace.id, days: 30, now: NOW });
    expect(ours.profiles.map((profile) => profile.profileName)).not.toContain("theirs");
    const theirsReport = await listUsage({ store, workspaceId: other.workspace.id, days: 30, now: NOW });
    expect(theirsReport.profiles).toEqual([{ profileId: theirs, profileName: "theirs", seconds: 5000 }]);
    expect(theirsReport.month.seconds).toBe(5000);
  });

  it("counts the month from its first day even when the window is shorter", async () => {
    const report = await listUsage({ store, workspaceId: team.workspace.id, days: 1, now: NOW });
    expect(report.days.map((day) => day.day)).toEqual(["2025-06-15"]);
    expect(report.month.seconds).toBe(6060);
  });

  it("answers any member through usage.list, with nothing used yet", async () => {
    const fresh = await workspaceWithOwner(store, "new@usage.example");
    const report = await fresh.ownerCaller.usage.list({ workspaceId: fresh.workspace.id, days: 30 });
    expect(report.days).toEqual([]);
    expect(report.month.seconds).toBe(0);
    await expect(fresh.ownerCaller.usage.list({ workspaceId: team.workspace.id, days: 30 })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
