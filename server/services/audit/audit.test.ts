import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestStore, workspaceWithOwner, type TestStore, type TestWorkspace } from "../../testing/test-store";
import { appendAuditEvent } from "./append-audit-event";

let store: TestStore;
let team: TestWorkspace;
let other: TestWorkspace;

beforeAll(async () => {
  store = await openTestStore();
  team = await workspaceWithOwner(store, "ana@team.example");
  other = await workspaceWithOwner(store, "oz@other.example");
  for (let i = 0; i < 7; i += 1) {
    await team.ownerCaller.members.add({ workspaceId: team.workspace.id, email: `p${i}@team.example`, scopes: ["hosts.read"] });
  }
});
afterAll(() => store.destroy());

describe("audit trail", () => {
  it("lists newest first, pages with a cursor, and filters by type", async () => {
    const ws = team.workspace.id;
    const first = await team.ownerCaller.audit.list({ workspaceId: ws, limit: 3 });
    expect(first.items).toHaveLength(3);
    expect(first.cursor).toBeDefined();
    const rest = await team.ownerCaller.audit.list({ workspaceId: ws, limit: 50, cursor: first.cursor });
    const all = [...first.items, ...rest.items];
    expect(all).toHaveLength(8); // workspace.created + 7 member.invited
    const times = all.map((e) => e.at);
    expect([...times].sort().reverse()).toEqual(times);
    expect(all.at(-1)?.eventType).toBe("workspace.created");

    const added = await team.ownerCaller.audit.list({ workspaceId: ws, limit: 50, eventType: "member.invited" });
    expect(added.items).toHaveLength(7);
    expect(new Set(added.items.map((e) => e.eventType))).toEqual(new Set(["member.invited"]));
  });

  it("shows one workspace only its own events", async () => {
    const { items } = await other.ownerCaller.audit.list({ workspaceId: other.workspace.id, limit: 50 });
    expect(items.map((e) => e.eventType)).toEqual(["workspace.created"]);
  });

  it("redacts secrets handed to it in event data", async () => {
    await appendAuditEvent(store, {
      workspaceId: team.workspace.id,
      eventType: "api_token.created",
      actor: { kind: "system", id: "test", label: "test" },
      target: { kind: "api_token", id: "tok_x", label: "x" },
      data: { token: "dpt_tok_aaaaaaaaaaaaaaaaaaaa_secretsecretsecret", note: "key opk_abcdefghijklmnop used", keyFingerprint: "sha256:ab12" },
    });
    const { items } = await team.ownerCaller.audit.list({ workspaceId: team.workspace.id, limit: 1, eventType: "api_token.created" });
    expect(items[0]?.data).toEqual({ token: "[redacted]", note: "key opk_[redacted] used", keyFingerprint: "sha256:ab12" });
  });
});
