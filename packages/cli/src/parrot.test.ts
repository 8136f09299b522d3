import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, kill, removePlatformPlace, startPlatformProcess, type PlatformPlace, type PlatformProcess } from "@/server/testing/platform-process";
import type { Env } from "./config";
import { EXIT } from "./exit-codes";
import { eventually } from "@/server/testing/eventually";
import type { Io } from "./output";
import { runParrot } from "./program";

/**
 * `parrot` against a platform of its own (packages/cli/testing/cli-platform.fixture.ts): a
 * process the test kills and starts again on the same data, with the Default profile on managed
 * compute, a Local Docker host whose operator never connects, and a profile on that host.
 */
const FIXTURE = path.resolve(__dirname, "../testing/cli-platform.fixture.ts");
const REPO = path.resolve(__dirname, "../../..");
const place: PlatformPlace = {
  dataDir: fs.mkdtempSync(path.join(os.tmpdir(), "dp-cli-data-")),
  root: fs.mkdtempSync(path.join(os.tmpdir(), "dp-cli-sandboxes-")),
  port: 0,
  running: [],
  fixture: FIXTURE,
};
let platform: PlatformProcess;
let url: string;
let token: string;
/** Signed in through the environment, as CI is; a config folder of its own so nothing real is read. */
let env: Env;

beforeAll(async () => {
  place.port = await freePort();
  platform = startPlatformProcess(place, "--seed");
  ({ token } = await platform.fact<{ token: string }>("seeded"));
  url = await platform.fact<string>("ready");
  env = { XDG_CONFIG_HOME: fs.mkdtempSync(path.join(os.tmpdir(), "dp-cli-config-")), PARROT_URL: url, PARROT_TOKEN: token };
}, 60_000);

afterAll(async () => {
  // Gone before its data is opened to find the sandboxes it left.
  if (platform) await kill(platform);
  await removePlatformPlace(place);
}, 60_000);

/** One `parrot` command in this process: its exit code and what it wrote to each stream. */
async function parrot(args: string[], withEnv: Env = env, seen: { stdout: string } = { stdout: "" }) {
  let stdout = "";
  let stderr = "";
  const io: Io = { out: (text) => void (seen.stdout = stdout += text), err: (text) => void (stderr += text), colour: false };
  const code = await runParrot(args, io, withEnv);
  return { code, stdout, stderr };
}

const lines = (text: string) => text.split("\n").filter(Boolean);

describe("parrot login", () => {
  it("refuses a token the platform does not know and saves nothing; a good one is saved for the user alone and used next", async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "dp-cli-login-"));
    const file = path.join(home, "parrot", "config.json");
    const wrong = `${token.slice(0, -4)}AAAA`;

    const refused = await parrot(["login", "--url", url, "--token", wrong], { XDG_CONFIG_HOME: home });
    expect(refused.code).toBe(EXIT.refused);
    expect(lines(refused.stderr)).toHaveLength(1);
    expect(refused.stderr).not.toContain(wrong);
    expect(fs.existsSync(file)).toBe(false);

    const ok = await parrot(["login", "--url", url, "--token", token], { XDG_CONFIG_HOME: home });
    expect(ok.code).toBe(EXIT.ok);
    expect(ok.stdout).toContain("Logged in to");
    expect(ok.stdout + ok.stderr).not.toContain(token);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    expect(JSON.parse(fs.readFileSync(file, "utf8"))).toEqual({ url: new URL(url).origin, token });

    // No PARROT_* now: the saved file is what signs the next command in.
    const listed = await parrot(["hosts", "list"], { XDG_CONFIG_HOME: home });
    expect(listed.code).toBe(EXIT.ok);
    expect(listed.stdout).toContain("offline-docker");
  });

  it("--version names the platform's version it ships with", async () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")) as { version: string };
    expect(await parrot(["--version"], {})).toEqual({ code: 0, stdout: `${version}\n`, stderr: "" });
  });

  it("says how to log in when there is no config, with a usage exit code", async () => {
    const result = await parrot(["hosts", "list"], { XDG_CONFIG_HOME: fs.mkdtempSync(path.join(os.tmpdir(), "dp-cli-none-")) });
    expect(result.code).toBe(EXIT.usage);
    expect(result.stderr).toBe("parrot: Not logged in: run `parrot login` (or set PARROT_URL and PARROT_TOKEN).\n");
  });
});

describe("tables for people, --json for scripts", () => {
  it("hosts list and get, by name or id", async () => {
    const table = await parrot(["hosts", "list"]);
    expect(table.code).toBe(EXIT.ok);
    const [header, row] = lines(table.stdout);
    expect(header).toMatch(/^ID\s+NAME\s+KIND\s+STATUS\s+LAST SEEN\s+OPERATOR$/);
    expect(row).toMatch(/^host_\w+\s+offline-docker\s+Local Docker\s+Awaiting operator\s+-\s+-$/);
    // Aligned: every column starts where its header does.
    expect(row!.indexOf("offline-docker")).toBe(header!.indexOf("NAME"));

    const json = JSON.parse((await parrot(["hosts", "list", "--json"])).stdout) as { id: string; name: string; status: string }[];
    expect(json).toEqual([expect.objectContaining({ name: "offline-docker", kind: "docker", status: "awaiting-operator" })]);

    const byName = await parrot(["hosts", "get", "offline-docker"]);
    expect(byName.stdout).toContain(`Id:             ${json[0]!.id}`);
    const byId = JSON.parse((await parrot(["hosts", "get", json[0]!.id, "--json"])).stdout) as { name: string };
    expect(byId.name).toBe("offline-docker");
  });

  it("hosts bundle writes the operator bundle's files, the key file for the user alone", async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "dp-cli-bundle-"));
    const result = await parrot(["hosts", "bundle", "offline-docker", "--out", out]);
    expect(result.code).toBe(EXIT.ok);
    const files = fs.readdirSync(out).sort();
    expect(files).toEqual(["discoparrot-operator-offline-docker.compose.yaml", "discoparrot-operator-offline-docker.env"]);
    expect(fs.statSync(path.join(out, files[1]!)).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(path.join(out, files[1]!), "utf8")).toMatch(/opk_/);
    expect(result.stdout).toContain("Install key fingerprint sha256:");
  });

  it("profiles list, and resolve in the page's words", async () => {
    const table = await parrot(["profiles", "list"]);
    expect(lines(table.stdout)[0]).toMatch(/^ID\s+NAME\s+HOST\s+TEMPLATE\s+IMAGE\s+CLASS$/);
    expect(table.stdout).toMatch(/prof_\w+\s+Default\s+managed compute\s+shell/);
    expect(table.stdout).toMatch(/prof_\w+\s+On offline-docker\s+offline-docker\s+shell/);
    const json = JSON.parse((await parrot(["profiles", "list", "--json"])).stdout) as { name: string }[];
    expect(json.map((profile) => profile.name).sort()).toEqual(["Default", "On offline-docker"]);

    const lands = await parrot(["profiles", "resolve", "Default"]);
    expect(lands).toEqual({ code: EXIT.ok, stdout: "Launches land on managed compute.\n", stderr: "" });
    expect(JSON.parse((await parrot(["profiles", "resolve", "Default", "--json"])).stdout)).toEqual({ ok: true, provider: "managed", host: null, viaDefaultDockerHost: false });

    const refused = await parrot(["profiles", "resolve", "On offline-docker"]);
    expect(refused.code).toBe(EXIT.refused);
    expect(refused.stderr).toBe(
      "parrot: A launch would be refused: Host offline-docker is not registered (awaiting operator): new work launches only on a registered host. Install its operator from the host's page, or switch this profile to Managed.\n",
    );
  });

  it("runs start --detach, list, get and end", async () => {
    const started = await parrot(["runs", "start", "Default", "echo", "detached", "--detach", "--json"]);
    expect(started.code).toBe(EXIT.ok);
    const run = JSON.parse(started.stdout) as { id: string; profileName: string };
    expect(run.profileName).toBe("Default");

    const list = await parrot(["runs", "list"]);
    expect(lines(list.stdout)[0]).toMatch(/^ID\s+PROFILE\s+STATUS\s+TURNS\s+CREATED\s+FIRST INPUT$/);
    expect(list.stdout).toMatch(new RegExp(`${run.id}\\s+Default\\s+\\w+\\s+1\\s+.*echo detached`));
    expect((JSON.parse((await parrot(["runs", "list", "--json"])).stdout) as { id: string }[]).map((item) => item.id)).toContain(run.id);
    expect((await parrot(["runs", "get", run.id])).stdout).toContain(`Run:         ${run.id}`);

    const watched = await parrot(["runs", "watch", run.id]);
    expect(watched.code).toBe(EXIT.ok);
    expect(watched.stdout).toBe("detached\n");
    const ended = await parrot(["runs", "end", run.id, "--json"]);
    expect(JSON.parse(ended.stdout)).toMatchObject({ id: run.id, status: "ended" });
  });

  it("tokens create goes through the API, which refuses tokens minted by a token (exit 3, the platform's sentence)", async () => {
    const result = await parrot(["tokens", "create", "ci", "--scope", "runs.start", "--expires-in-days", "7"]);
    expect(result).toEqual({ code: EXIT.refused, stdout: "", stderr: "parrot: API tokens cannot create tokens: create one on Settings → API tokens, or on the platform's machine with npm run tokens -- create.\n" });
    const bad = await parrot(["tokens", "create", "ci", "--scope", "everything"]);
    expect(bad.code).toBe(EXIT.usage);
  });
});

describe("exit codes", () => {
  it("a refused launch exits 3 with the resolver's reason; an unknown run 4; a failed turn 1", async () => {
    const refused = await parrot(["runs", "start", "On offline-docker", "echo", "hi"]);
    expect(refused.code).toBe(EXIT.refused);
    expect(refused.stderr).toContain("Host offline-docker is not registered (awaiting operator)");
    expect(lines(refused.stderr)).toHaveLength(1);

    const unknown = await parrot(["runs", "watch", "run_aaaaaaaaaaaaaaaaaaaa"]);
    expect(unknown).toEqual({ code: EXIT.notFound, stdout: "", stderr: "parrot: Run was not found.\n" });
    expect((await parrot(["profiles", "resolve", "No such profile"])).code).toBe(EXIT.notFound);

    const failed = await parrot(["runs", "start", "Default", "echo before; exit 3"]);
    expect(failed.code).toBe(EXIT.failure);
    expect(failed.stdout).toBe("before\n");
    expect(failed.stderr).toMatch(/turn 1 failed/);
  });
});

describe("parrot runs watch across a platform restart", () => {
  it("resumes from its cursor: every line once, in order, and exits with the turn's outcome", async () => {
    const count = 150;
    const turn = `'${process.execPath}' -e 'let i=0;const t=setInterval(()=>{console.log("line "+i);if(++i>=${count})clearInterval(t)},25)'`;
    const started = await parrot(["runs", "start", "Default", turn, "--detach", "--quiet"]);
    const runId = started.stdout.trim();
    const seen = { stdout: "" };
    const watching = parrot(["runs", "watch", runId], env, seen);
    await eventually(() => Promise.resolve(seen.stdout), (text) => text.includes("line 10\n"), 30_000);
    expect(lines(seen.stdout).length).toBeLessThan(count / 2);

    // Killed mid-turn: the sandbox keeps printing while the platform is away, then it comes back on the same data.
    await kill(platform);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    platform = startPlatformProcess(place);
    await platform.fact("ready");

    const watched = await watching;
    expect(watched.code).toBe(EXIT.ok);
    expect(lines(watched.stdout)).toEqual(Array.from({ length: count }, (_, i) => `line ${i}`));
    expect(watched.stderr).toMatch(/turn 1 succeeded/);
  }, 90_000);
});

describe("the README's CLI walkthrough", () => {
  it("runs verbatim against the platform", async () => {
    const readme = fs.readFileSync(path.join(REPO, "README.md"), "utf8");
    const script = /```sh parrot-walkthrough\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(script).toBeDefined();
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "dp-cli-readme-"));
    const { stdout } = await promisify(execFile)("bash", ["-euo", "pipefail", "-c", script!], {
      cwd: REPO,
      // A person's shell: no PARROT_* (the walkthrough logs in), a home of its own.
      env: { ...process.env, PARROT_URL: undefined, PARROT_TOKEN: undefined, HOME: home, XDG_CONFIG_HOME: home, URL: url, TOKEN: token },
    });
    expect(stdout).toContain("Logged in to");
    expect(stdout).toMatch(/Default\s+managed compute/);
    expect(stdout).toContain("hello from the sandbox");
    expect(stdout).toMatch(/Ended run_\w+/);
    expect(stdout).not.toContain(token);
  }, 90_000);
});
