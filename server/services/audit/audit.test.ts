import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONTAINERS, ZAuditEvent } from "@/prisma-free-schema";
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

  it("redacts a secret planted in a label, an id, a list and free text, in every field of the row", async () => {
    const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJob3N0OngifQ.c2lnbmF0dXJlc2lnbmF0dXJl";
    await appendAuditEvent(store, {
      workspaceId: team.workspace.id,
      eventType: "host.updated",
      actor: { kind: "api_token", id: "opk_actoridsecret0123", label: "ci dpt_tok_bbbbbbbbbbbbbbbbbbbb_c2VjcmV0c2VjcmV0" },
      target: { kind: "host", id: "host_x", label: `edge password=hunter2 ${jwt}` },
      data: {
        urls: ["https://hub.example/client/hubs/discoparrot?access_token=abc.def.ghi", `Bearer ${jwt}`],
        note: 'operator said {"password": "s3cr3t", "ok": true} and password: hunter2',
        client_secret: "plain-value",
      },
    });
    const [row] = (await team.ownerCaller.audit.list({ workspaceId: team.workspace.id, limit: 1, eventType: "host.updated" })).items;
    const text = JSON.stringify(row);
    for (const secret of ["actoridsecret0123", "c2VjcmV0c2VjcmV0", "hunter2", "eyJzdWIi", "abc.def.ghi", "s3cr3t", "plain-value"]) expect(text).not.toContain(secret);
    expect(row?.actor.label).toBe("ci dpt_[redacted]");
    expect(row?.target.label).toBe("edge password=[redacted] [redacted]");
    expect(row?.data.urls).toEqual(["https://hub.example/client/hubs/discoparrot?access_token=[redacted]", "Bearer [redacted]"]);
    expect(row?.data.note).toBe('operator said {"password":"[redacted]", "ok": true} and password: [redacted]');
  });

  it("redacts names people typed before they land in the trail (an API token named after a key)", async () => {
    await team.ownerCaller.apiTokens.create({ workspaceId: team.workspace.id, name: "opk_0123456789abcdefghij", scopes: ["hosts.read"], expiresInDays: 1 });
    const [row] = (await team.ownerCaller.audit.list({ workspaceId: team.workspace.id, limit: 1, eventType: "api_token.created" })).items;
    expect(JSON.stringify(row)).not.toContain("0123456789abcdefghij");
    expect(row?.target.label).toBe("opk_[redacted]");
  });

  it("redacts a row written before a rule existed when it is read", async () => {
    const container = await store.container(CONTAINERS.auditEvents);
    const old = ZAuditEvent.parse({
      id: "aud_aaaaaaaaaaaaaaaaaaaa",
      type: "auditEvent",
      workspaceId: team.workspace.id,
      eventType: "profile.deleted",
      actor: { kind: "user", id: "usr_x", label: "ana@team.example" },
      target: { kind: "profile", id: "prof_x", label: "token=leakedvalue" },
      at: new Date().toISOString(),
      data: { note: "password: oldsecret" },
    });
    await container.items.create(old);
    const [row] = (await team.ownerCaller.audit.list({ workspaceId: team.workspace.id, limit: 1, eventType: "profile.deleted" })).items;
    expect(row?.target.label).toBe("token=[redacted]");
    expect(row?.data.note).toBe("password: [redacted]");
  });
});
