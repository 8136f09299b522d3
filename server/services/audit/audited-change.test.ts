import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_PROFILE_SETTINGS, newId } from "@/prisma-free-schema";
import { AppError } from "../../errors";
import { auditStore } from "../../store/audit-store";
import { profileStore } from "../../store/profile-store";
import { openTestStore, workspaceWithOwner, type TestStore, type TestWorkspace } from "../../testing/test-store";
import { newProfile } from "../profiles/new-profile";
import { AUDIT_PENDING_MS, auditedChange, settlePendingAudits } from "./append-audit-event";

/**
 * A change and its audit row land together or not at all: the row first (pending, not shown),
 * the change, then the row confirmed; a row its process left pending is settled by the store.
 */
let store: TestStore;
let team: TestWorkspace;

beforeAll(async () => {
  store = await openTestStore();
  team = await workspaceWithOwner(store, "ada@audited.example");
});
afterAll(() => store.destroy());

const input = (id: string) => ({
  workspaceId: team.workspace.id,
  eventType: "profile.created" as const,
  actor: { kind: "user" as const, id: team.owner.userId, label: "ada@audited.example" },
  target: { kind: "profile" as const, id, label: "p" },
});
const listed = async () => (await auditStore(store).list(team.workspace.id, { eventType: "profile.created", limit: 100 })).items;
const allRows = async () => (await auditStore(store).stalePending(new Date(Date.now() + 10 * AUDIT_PENDING_MS).toISOString())).length;
const later = () => new Date(Date.now() + AUDIT_PENDING_MS + 1_000);

describe("an audited change", () => {
  it("is listed once made, and only then", async () => {
    const profile = newProfile(team.workspace.id, team.owner.userId, { ...DEFAULT_PROFILE_SETTINGS, name: "Shown after" });
    let seenDuring: number | undefined;
    await auditedChange(store, input(profile.id), { container: "profiles", partitionKey: profile.workspaceId, id: profile.id, landed: "present" }, async () => {
      seenDuring = (await listed()).filter((row) => row.target.id === profile.id).length;
      return profile.id;
    });
    expect(seenDuring).toBe(0);
    expect((await listed()).filter((row) => row.target.id === profile.id)).toHaveLength(1);
  });

  it("that fails leaves no row", async () => {
    const id = newId("prof");
    await expect(
      auditedChange(store, input(id), { container: "profiles", partitionKey: team.workspace.id, id, landed: "present" }, async () => {
        throw new AppError("CONFLICT", "someone else got there first");
      }),
    ).rejects.toThrow("someone else got there first");
    expect((await listed()).filter((row) => row.target.id === id)).toHaveLength(0);
    expect(await allRows()).toBe(0);
  });

  it("whose process died is settled by the store: a landed change keeps its row, one that never happened loses it", async () => {
    const landed = newProfile(team.workspace.id, team.owner.userId, { ...DEFAULT_PROFILE_SETTINGS, name: "Landed" });
    const never = newId("prof");
    // Rows written as a process dying after step 1 leaves them, one with its change made.
    const audits = auditStore(store);
    const until = new Date(Date.now() + AUDIT_PENDING_MS).toISOString();
    const row = (id: string, rowId: string) => ({
      id: rowId,
      type: "auditEvent" as const,
      ...input(id),
      at: new Date().toISOString(),
      data: {},
      pending: { check: { container: "profiles" as const, partitionKey: team.workspace.id, id, landed: "present" as const }, until },
    });
    await audits.append(row(landed.id, newId("aud")));
    await profileStore(store).create(landed);
    await audits.append(row(never, newId("aud")));

    // Not before its time: a change still under way is left alone.
    expect(await settlePendingAudits(store)).toEqual({ confirmed: 0, discarded: 0 });
    expect(await settlePendingAudits(store, later())).toEqual({ confirmed: 1, discarded: 1 });
    const shown = await listed();
    expect(shown.filter((entry) => entry.target.id === landed.id)).toHaveLength(1);
    expect(shown.filter((entry) => entry.target.id === never)).toHaveLength(0);
    expect(await allRows()).toBe(0);
  });

  it("judges an update by the field it set, and a removal by the document being gone", async () => {
    const profile = newProfile(team.workspace.id, team.owner.userId, { ...DEFAULT_PROFILE_SETTINGS, name: "Judged" });
    await profileStore(store).create(profile);
    const audits = auditStore(store);
    const until = new Date(Date.now() + AUDIT_PENDING_MS).toISOString();
    const pending = (landed: "absent" | { field: string; equals: string }) => ({
      id: newId("aud"),
      type: "auditEvent" as const,
      ...input(profile.id),
      at: new Date().toISOString(),
      data: {},
      pending: { check: { container: "profiles" as const, partitionKey: team.workspace.id, id: profile.id, landed }, until },
    });
    await audits.append(pending({ field: "updatedAt", equals: profile.updatedAt }));
    await audits.append(pending({ field: "updatedAt", equals: "2001-01-01T00:00:00.000Z" }));
    await audits.append(pending("absent"));
    expect(await settlePendingAudits(store, later())).toEqual({ confirmed: 1, discarded: 2 });
  });
});
