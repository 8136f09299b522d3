import { describe, expect, it } from "vitest";
import type { TAuditEvent } from "@/prisma-free-schema";
import { type AuditPart, describeAuditEvent } from "./describe-audit-event";

const names = { host: (id: string) => (id === "host_aaaaaaaaaaaaaaaaaaaa" ? "build-box" : undefined), profile: (id: string) => (id === "prof_bbbbbbbbbbbbbbbbbbbb" ? "Nightly" : undefined) };

function row(eventType: TAuditEvent["eventType"], target: TAuditEvent["target"], data: TAuditEvent["data"]): TAuditEvent {
  return { id: "aud_cccccccccccccccccccc", type: "auditEvent", workspaceId: "ws_dddddddddddddddddddd", eventType, actor: { kind: "user", id: "usr_x", label: "ana@team.example" }, target, at: new Date().toISOString(), data };
}
const text = (parts: AuditPart[]) => parts.map((part) => (typeof part === "string" ? part : part.text)).join("");
const links = (parts: AuditPart[]) => parts.flatMap((part) => (typeof part === "string" || !part.href ? [] : [[part.text, part.href]]));

describe("an audit row in words", () => {
  it("names a profile's host by name, linked, instead of its id", () => {
    const parts = describeAuditEvent(row("profile.created", { kind: "profile", id: "prof_bbbbbbbbbbbbbbbbbbbb", label: "Nightly" }, { host: "host_aaaaaaaaaaaaaaaaaaaa" }), names);
    expect(text(parts)).toBe("Created the profile Nightly on build-box");
    expect(links(parts)).toEqual([
      ["Nightly", "/profiles/prof_bbbbbbbbbbbbbbbbbbbb"],
      ["build-box", "/hosts/host_aaaaaaaaaaaaaaaaaaaa"],
    ]);
  });

  it("says which scopes changed, and which warm pools a host keeps by profile name", () => {
    const scopes = describeAuditEvent(row("member.updated", { kind: "member", id: "mem_x", label: "bo@team.example" }, { scopesBefore: ["hosts.read"], scopesAfter: ["hosts.read", "runs.start"] }), names);
    expect(text(scopes)).toBe("Changed the scopes of bo@team.example: added runs.start");
    const pools = describeAuditEvent(
      row("host.docker_settings_changed", { kind: "host", id: "host_aaaaaaaaaaaaaaaaaaaa", label: "build-box" }, { networkBefore: "bridge", networkAfter: "bridge", warmPoolsBefore: [], warmPoolsAfter: ["prof_bbbbbbbbbbbbbbbbbbbb=2"] }),
      names,
    );
    expect(text(pools)).toBe("Changed the Docker settings of build-box: warm pools now Nightly × 2");
  });

  it("says a token was made on the command line, and says nothing extra for one made on the page", () => {
    const made = (via: string) => text(describeAuditEvent(row("api_token.created", { kind: "api_token", id: "tok_x", label: "ci bot" }, { scopes: ["hosts.read"], via }), names));
    expect(made("command line")).toMatch(/ on the command line \(npm run tokens\)$/);
    expect(made("api")).not.toMatch(/command line/);
  });

  it("does not link what the event deleted", () => {
    const parts = describeAuditEvent(row("host.deleted", { kind: "host", id: "host_aaaaaaaaaaaaaaaaaaaa", label: "build-box" }, { kind: "docker", strandedProfiles: ["prof_bbbbbbbbbbbbbbbbbbbb"] }), names);
    expect(text(parts)).toBe("Deleted the Local Docker host build-box, leaving 1 profile without a host");
    expect(links(parts)).toEqual([]);
  });
});
