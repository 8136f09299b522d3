import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authenticateApiToken } from "../services/api-tokens/authenticate-api-token";
import { apiTokenStore } from "../store/api-token-store";
import { openStore, type Store } from "../store/store";
import { startStandaloneStore } from "../testing/shared-services";
import { addSignedInMember, callerAs, openTestStore, workspaceWithOwner, type TestWorkspace } from "../testing/test-store";

/**
 * `npm run tokens -- create` as someone on the platform's machine runs it: a child process on the
 * same store settings as the platform. Against a store the platform shares (`npm run store`, as
 * while the platform runs), and against the embedded data folder, which only a stopped platform
 * leaves free.
 */
const ROOT = path.resolve(__dirname, "../..");
const BEARER = /^dpt_tok_[a-z0-9]{20}_[A-Za-z0-9_-]{43}$/;
const dirs: string[] = [];
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dp-tokens-"));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

type Outcome = { code: number | null; stdout: string; stderr: string };

function runTokens(args: string[], env: Record<string, string>, program = "server/programs/tokens.ts"): Promise<Outcome> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, program), ...args], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: "info", COSMOS_DATABASE: "test", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once("close", (code) => resolve({ code, stdout, stderr })));
}

const create = (workspace: string, owner: string, name: string, scopes: string, ...more: string[]) =>
  ["create", "--workspace", workspace, "--owner", owner, "--name", name, "--scopes", scopes, ...more];

describe("npm run tokens, on a store the platform shares", () => {
  let stopStore: () => Promise<void>;
  let store: Store;
  let env: Record<string, string>;
  let team: TestWorkspace;
  let rival: TestWorkspace;

  beforeAll(async () => {
    const dataDir = tempDir();
    const standalone = await startStandaloneStore(dataDir);
    stopStore = standalone.stop;
    store = await openStore({ store: { mode: "azure", endpoint: standalone.endpoint, key: standalone.key, database: "test" }, dataDir });
    // The platform's own settings for a shared store (README: several platform processes).
    env = { COSMOS_ENDPOINT: standalone.endpoint, COSMOS_KEY: standalone.key, AUTH_SECRET: "s".repeat(40), AUTH_LOCAL_ENABLED: "true", DATA_DIR: dataDir };
    team = await workspaceWithOwner(store, "olga@team.example");
    rival = await workspaceWithOwner(store, "rex@rival.example");
    await addSignedInMember(store, team.workspace.id, team.owner, "mia@team.example", ["hosts.read", "runs.start"]);
    await addSignedInMember(store, team.workspace.id, team.owner, "max@team.example", ["members.manage", "hosts.read"]);
  }, 60_000);
  afterAll(async () => {
    await store?.close();
    await stopStore?.();
  });

  async function trail() {
    return (await team.ownerCaller.audit.list({ workspaceId: team.workspace.id, limit: 200 })).items;
  }

  it("prints the token once, on stdout only; it works against the API and is audited as the owner's, from the command line", async () => {
    const run = await runTokens(create(team.workspace.name, "Olga@Team.example", "ci bot", "hosts.read,runs.start", "--expires-days", "7"), env);
    expect(run.stderr).toContain('Created token "ci bot"');
    expect(run.code).toBe(0);
    const bearer = run.stdout.trim();
    expect(run.stdout.split("\n")).toHaveLength(2);
    expect(bearer).toMatch(BEARER);
    const secret = bearer.slice(-43);
    expect(run.stderr).not.toContain(secret);

    const actor = await authenticateApiToken(store, bearer);
    expect(actor).toMatchObject({ kind: "api_token", email: "olga@team.example", workspaceId: team.workspace.id, scopes: ["hosts.read", "runs.start"] });
    const asTool = callerAs(store, actor);
    await expect(asTool.hosts.list({ workspaceId: team.workspace.id, limit: 10 })).resolves.toHaveProperty("items");
    await expect(asTool.audit.list({ workspaceId: team.workspace.id, limit: 5 })).rejects.toMatchObject({ code: "FORBIDDEN" });

    const [listed] = (await team.ownerCaller.apiTokens.list({ workspaceId: team.workspace.id })).filter((t) => t.name === "ci bot");
    expect(listed).toMatchObject({ status: "active", ownerEmail: "olga@team.example" });
    expect(Date.parse(listed!.expiresAt) - Date.parse(listed!.createdAt)).toBe(7 * 86_400_000);
    expect(JSON.stringify(await apiTokenStore(store).get(listed!.id))).not.toContain(secret);

    const rows = (await trail()).filter((row) => row.target.id === listed!.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      eventType: "api_token.created",
      actor: { kind: "user", id: team.owner.userId, label: "olga@team.example" },
      data: { via: "command line", scopes: ["hosts.read", "runs.start"] },
    });
    expect(JSON.stringify(await trail())).not.toContain(secret);
  }, 60_000);

  it("is what parrot tokens create --on-this-machine runs: the same token, audit row and exit codes", async () => {
    const parrot = (...args: string[]) => runTokens(["tokens", "create", ...args], env, "packages/cli/src/main.ts");
    const made = await parrot("deploy bot", "--scope", "hosts.read", "--on-this-machine", "--workspace", team.workspace.name, "--owner", "olga@team.example");
    expect(made.code).toBe(0);
    const bearer = made.stdout.trim();
    expect(bearer).toMatch(BEARER);
    expect(made.stderr).not.toContain(bearer.slice(-43));
    expect(await authenticateApiToken(store, bearer)).toMatchObject({ kind: "api_token", email: "olga@team.example", scopes: ["hosts.read"] });
    const [listed] = (await team.ownerCaller.apiTokens.list({ workspaceId: team.workspace.id })).filter((t) => t.name === "deploy bot");
    expect((await trail()).filter((row) => row.target.id === listed!.id)).toMatchObject([{ eventType: "api_token.created", data: { via: "command line" } }]);

    const refused = await parrot("sneaky", "--scope", "members.manage", "--on-this-machine", "--workspace", team.workspace.name, "--owner", "mia@team.example");
    expect({ code: refused.code, stdout: refused.stdout }).toEqual({ code: 3, stdout: "" });
    const incomplete = await parrot("no owner", "--scope", "hosts.read", "--on-this-machine", "--workspace", team.workspace.name);
    expect(incomplete).toMatchObject({ code: 2, stdout: "", stderr: expect.stringContaining("give --workspace (its id or name) and --owner") });
  }, 60_000);

  it("finds the workspace by its id too, and acts for a member who manages members, not only the owner", async () => {
    const run = await runTokens(create(team.workspace.id, "max@team.example", "max tool", "hosts.read"), env);
    expect(run.code).toBe(0);
    expect(await authenticateApiToken(store, run.stdout.trim())).toMatchObject({ email: "max@team.example", scopes: ["hosts.read"] });
  }, 60_000);

  it.each([
    ["an unknown workspace name", () => create("No such team", "olga@team.example", "x", "hosts.read"), 3, /No workspace is named "No such team"/],
    ["an unknown workspace id", () => create("ws_aaaaaaaaaaaaaaaaaaaa", "olga@team.example", "x", "hosts.read"), 3, /No workspace has the id ws_aaaaaaaaaaaaaaaaaaaa/],
    ["someone without members.manage", () => create(team.workspace.id, "mia@team.example", "x", "hosts.read"), 3, /mia@team\.example does not hold members\.manage/],
    ["someone who is not a member", () => create(team.workspace.id, "rex@rival.example", "x", "hosts.read"), 3, /rex@rival\.example is not a member/],
    ["an owner of another workspace naming this one", () => create(rival.workspace.id, "olga@team.example", "x", "hosts.read"), 3, /not a member/],
    ["a scope the person does not hold", () => create(team.workspace.id, "max@team.example", "x", "hosts.read,runs.start"), 3, /do not hold runs\.start/],
    ["an unknown scope", () => create(team.workspace.id, "olga@team.example", "x", "hosts.read,hosts.write"), 2, /--scopes: Unknown scope hosts\.write/],
    ["no scopes", () => create(team.workspace.id, "olga@team.example", "x", ","), 2, /--scopes: Pick at least one scope/],
    ["an expiry the page does not offer", () => create(team.workspace.id, "olga@team.example", "x", "hosts.read", "--expires-days", "5"), 2, /--expires-days: Expiry must be one of 1, 7, 30, 90, 365 days/],
    ["a missing owner", () => ["create", "--workspace", team.workspace.id, "--name", "x", "--scopes", "hosts.read"], 2, /--owner: Give --owner/],
    ["a name with a control character", () => create(team.workspace.id, "olga@team.example", "bell\u0007", "hosts.read"), 2, /--name: /],
    ["an unknown option", () => [...create(team.workspace.id, "olga@team.example", "x", "hosts.read"), "--admin"], 2, /Unknown option '--admin'/],
    ["an unknown command", () => ["revoke", "--workspace", team.workspace.id], 2, /The only command is "create"/],
  ])("refuses %s with a sentence on stderr, a non-zero exit, and writes nothing", async (_what, args, code, message) => {
    const tokensBefore = await team.ownerCaller.apiTokens.list({ workspaceId: team.workspace.id });
    const trailBefore = await trail();
    const run = await runTokens(args(), env);
    expect(run.stderr).toMatch(message);
    expect(run.code).toBe(code);
    expect(run.stdout).toBe("");
    expect(run.stderr).not.toMatch(/dpt_tok_/);
    expect(await team.ownerCaller.apiTokens.list({ workspaceId: team.workspace.id })).toEqual(tokensBefore);
    expect(await trail()).toEqual(trailBefore);
  }, 60_000);
});

describe("npm run tokens, on the embedded data folder", () => {
  it("says what to do while a running platform holds the folder, and makes the token once it is free", async () => {
    const dataDir = tempDir();
    const env = { DATA_DIR: dataDir };
    // The platform, running: it holds the folder's lock.
    const platform = await openTestStore(dataDir);
    const team = await workspaceWithOwner(platform, "ola@team.example");
    const held = await runTokens(create(team.workspace.id, "ola@team.example", "bootstrap", "hosts.read"), env);
    expect(held.code).toBe(1);
    expect(held.stdout).toBe("");
    expect(held.stderr).toMatch(/The platform is running on the embedded store in .*npm run store.*COSMOS_ENDPOINT and COSMOS_KEY/);
    await platform.close();

    // Stopped: the command opens the folder itself, and the token is there when the platform starts again.
    const free = await runTokens(create(team.workspace.id, "ola@team.example", "bootstrap", "hosts.read"), env);
    expect(free.code).toBe(0);
    const restarted = await openTestStore(dataDir);
    try {
      const actor = await authenticateApiToken(restarted, free.stdout.trim());
      expect(actor).toMatchObject({ kind: "api_token", email: "ola@team.example" });
      // Using a token records it; let that write land before the store stops.
      await expect.poll(async () => (await apiTokenStore(restarted).get((actor as { tokenId: string }).tokenId))?.lastUsedAt).not.toBeNull();
    } finally {
      await restarted.close();
    }
  }, 90_000);
});
