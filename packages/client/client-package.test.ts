import { execFile, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startManagedPlatform } from "@/server/testing/managed-platform";
import { registerHost } from "@/server/testing/hosts-fixtures";
import { serveApiRoutes } from "@/server/testing/route-server";
import { freePort } from "@/server/testing/shared-services";
import { useStoreAsProcessStore } from "@/server/testing/settings";

const run = promisify(execFile);
const repo = path.resolve(__dirname, "../..");
const rootPackage = JSON.parse(fs.readFileSync(path.join(repo, "package.json"), "utf8")) as { devDependencies: Record<string, string> };

/** The README's tool, verbatim: the ```ts block under "A ten-line internal tool". */
function readmeTool(): string {
  const readme = fs.readFileSync(path.join(repo, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("### A ten-line internal tool"));
  return /```ts\n([\s\S]*?)```/.exec(section)![1]!;
}

/** The README's run-event-stream examples, verbatim: its ```sh (curl) and ```js (EventSource) blocks. */
function readmeStreamExamples(): { curl: string; eventSource: string } {
  const readme = fs.readFileSync(path.join(repo, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("### The run event stream over plain HTTP"), readme.indexOf("### Profiles from the API"));
  return { curl: /```sh\n([\s\S]*?)```/.exec(section)![1]!, eventSource: /```js\n([\s\S]*?)```/.exec(section)![1]! };
}

/** Runs a shell command that never ends by itself (an event stream) until its output holds `until`, then stops it. */
function streamUntil(command: string, env: NodeJS.ProcessEnv, until: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    // curl writes its progress meter to stderr; the frames are on stdout.
    const child = spawn("bash", ["-c", command], { env, stdio: ["ignore", "pipe", "ignore"] });
    let output = "";
    const timer = setTimeout(() => (child.kill(), reject(new Error(`no ${until} in 30 s; got:\n${output}`))), 30_000);
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (until.test(output)) (clearTimeout(timer), child.kill(), resolve(output));
    });
    child.once("exit", () => (clearTimeout(timer), resolve(output)));
  });
}

/** One call on every router, type-checked only (not run): any input or output typed `any` would let the wrong lines below compile. */
const EVERY_ROUTER = `/// <reference types="node" />
import { createDiscoParrotClient, isDiscoParrotError, type RouterOutputs, type RunEvent } from "@discoparrot/client";

export async function everyRouter(workspaceId: string, runId: string): Promise<string[]> {
  const parrot = createDiscoParrotClient({ url: "http://localhost:3000", token: "dpt_x" });
  const me: { email: string } = await parrot.me.whoami.query();
  const setup: boolean = (await parrot.account.setup.query()).firstAccountOpen;
  const invite = await parrot.invites.describe.query({ token: "x" });
  const workspaces: { id: string; name: string }[] = await parrot.workspaces.mine.query();
  const members = await parrot.members.list.query({ workspaceId });
  const tokens = await parrot.apiTokens.list.query({ workspaceId });
  const host: RouterOutputs["hosts"]["list"]["items"][number] | undefined = (await parrot.hosts.list.query({ workspaceId, limit: 10 })).items[0];
  const profiles = await parrot.profiles.list.query({ workspaceId, limit: 10 });
  const audit = await parrot.audit.list.query({ workspaceId, limit: 10 });
  const runs = await parrot.runs.list.query({ workspaceId, limit: 10 });
  const usage = await parrot.usage.list.query({ workspaceId });
  const seen: RunEvent[] = [];
  parrot.runs.events.subscribe({ workspaceId, runId, lastEventId: "3" }, { onData: ({ id, data }) => { const seq: number = data.seq; void id; void seq; seen.push(data); } });
  try {
    await parrot.runs.end.mutate({ workspaceId, runId });
  } catch (error) {
    if (isDiscoParrotError(error)) return [error.data?.code ?? "", ...Object.keys(error.data?.fieldErrors ?? {})];
  }
  return [me.email, String(setup), JSON.stringify(invite), workspaces[0]?.name ?? "", String(members.length), String(tokens.length), host?.status ?? "", String(profiles.items.length), String(audit.items.length), runs.items[0]?.status ?? "", JSON.stringify(usage)];
}
`;

/** A deliberate mistake in an input: the limit as a string. */
const WRONG_INPUT = `import { createDiscoParrotClient } from "@discoparrot/client";
await createDiscoParrotClient({ url: "http://localhost:3000", token: "dpt_x" }).hosts.list.query({ workspaceId: "ws_x", limit: "50" });
`;

/** Subscribes as told by its arguments and prints how the stream failed: "CODE: message". */
const STREAM_FAILURE = `/// <reference types="node" />
import { createDiscoParrotClient } from "@discoparrot/client";
const [url, token, workspaceId, runId] = process.argv.slice(2) as [string, string, string, string];
createDiscoParrotClient({ url, token }).runs.events.subscribe({ workspaceId, runId }, {
  onData: () => (console.log("an event"), process.exit(1)),
  onError: (error) => (console.log(\`\${error.data?.code ?? "no code"}: \${error.message}\`), process.exit(0)),
});
`;

let project: string;
let platform: Awaited<ReturnType<typeof startManagedPlatform>>;
let api: Awaited<ReturnType<typeof serveApiRoutes>>;

beforeAll(async () => {
  // The package as it ships: built, packed, and installed from the tarball into a fresh project.
  project = fs.mkdtempSync(path.join(os.tmpdir(), "dp-client-"));
  await run(process.execPath, [path.join(__dirname, "build.mjs")], { cwd: __dirname });
  const { stdout: packed } = await run("npm", ["pack", "--json", "--pack-destination", project], { cwd: __dirname });
  const tarball = path.join(project, (JSON.parse(packed) as { filename: string }[])[0]!.filename);
  fs.writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "a-tool", private: true, type: "module" }));
  await run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", tarball, `typescript@${rootPackage.devDependencies.typescript}`, `@types/node@${rootPackage.devDependencies["@types/node"]}`], { cwd: project });
  await run(path.join(project, "node_modules/.bin/tsc"), ["--init"], { cwd: project });

  platform = await startManagedPlatform("dp-client-sbx-");
  useStoreAsProcessStore(platform.platform.store);
  // runs.start launches through the process's sandbox deps: this platform's managed compute.
  (globalThis as Record<symbol, unknown>)[Symbol.for("discoparrot.sandbox-deps")] = platform.deps;
  api = await serveApiRoutes();
}, 240_000);

afterAll(async () => {
  await api?.close();
  delete (globalThis as Record<symbol, unknown>)[Symbol.for("discoparrot.sandbox-deps")];
  await platform?.stop();
  if (project) fs.rmSync(project, { recursive: true, force: true });
});

describe("@discoparrot/client, installed from its tarball", () => {
  it("ships only the client: its own dist and three dependencies", () => {
    const installed = JSON.parse(fs.readFileSync(path.join(project, "node_modules/@discoparrot/client/package.json"), "utf8")) as { dependencies: Record<string, string> };
    expect(Object.keys(installed.dependencies).sort()).toEqual(["@trpc/client", "@trpc/server", "eventsource"]);
    const declarations = fs.readFileSync(path.join(project, "node_modules/@discoparrot/client/dist/index.d.ts"), "utf8");
    const imports = [...declarations.matchAll(/from '([^']+)'/g)].map((match) => match[1]);
    expect(imports.every((id) => id!.startsWith("@trpc/"))).toBe(true);
    expect(declarations).not.toMatch(/@\/|zod|@azure|import\(/);
  });

  it(
    "type-checks every router with the default tsconfig, refuses a wrong input, and runs the README's tool against the platform, streaming the run live",
    async () => {
      fs.writeFileSync(path.join(project, "hello-run.mts"), readmeTool());
      fs.writeFileSync(path.join(project, "every-router.mts"), EVERY_ROUTER);
      const typecheck = () =>
        run(path.join(project, "node_modules/.bin/tsc"), ["-p", "."], { cwd: project }).then(
          () => "compiled",
          (error: { stdout: string }) => error.stdout,
        );
      expect(await typecheck()).toBe("compiled");

      fs.writeFileSync(path.join(project, "wrong-input.mts"), WRONG_INPUT);
      expect(await typecheck()).toMatch(/wrong-input\.mts\(2,\d+\): error TS2322: Type 'string' is not assignable to type 'number'/);
      fs.rmSync(path.join(project, "wrong-input.mts"));
      fs.writeFileSync(path.join(project, "stream-failure.mts"), STREAM_FAILURE);
      expect(await typecheck()).toBe("compiled");

      const { ownerCaller } = platform.platform.owner;
      const workspaceId = platform.platform.workspaceId;
      await registerHost(ownerCaller, workspaceId, { name: "rack-7" });
      const { bearer } = await ownerCaller.apiTokens.create({ workspaceId, name: "hello-run", scopes: ["hosts.read", "profiles.manage", "runs.start"], expiresInDays: 1 });
      const { stdout } = await run(process.execPath, ["hello-run.mjs"], { cwd: project, env: { ...process.env, DP_URL: api.url, DP_TOKEN: bearer }, timeout: 90_000 });
      expect(stdout).toMatch(/^host rack-7\tkubernetes\t/m);
      expect(stdout).toMatch(/^hello from the sandbox$/m);
      expect(stdout.trim().split("\n").at(-1)).toBe("turn succeeded");
      const profiles = await ownerCaller.profiles.list({ workspaceId, limit: 100 });
      expect(profiles.items.some((profile) => profile.name.startsWith("hello "))).toBe(true);

      // A stream that cannot start says why, in the platform's own error shape.
      const streamFailure = async (url: string, token: string, runId: string) =>
        (await run(process.execPath, ["stream-failure.mjs", url, token, workspaceId, runId], { cwd: project, timeout: 30_000 })).stdout.trim();
      const runId = (await ownerCaller.runs.list({ workspaceId, limit: 1 })).items[0]!.id;
      expect(await streamFailure(api.url, "dpt_not-a-real-token", runId)).toMatch(/^UNAUTHORIZED: .*token/i);
      expect(await streamFailure(api.url, bearer, "run_aaaaaaaaaaaaaaaaaaaa")).toMatch(/^NOT_FOUND: /);
      const nobody = `http://127.0.0.1:${await freePort()}`;
      expect(await streamFailure(nobody, bearer, runId)).toContain(`Could not reach Disco Parrot at ${nobody} (ECONNREFUSED)`);
    },
    240_000,
  );

  it(
    "streams a run with the README's curl and EventSource examples, as written",
    async () => {
      const { ownerCaller } = platform.platform.owner;
      const workspaceId = platform.platform.workspaceId;
      const { bearer } = await ownerCaller.apiTokens.create({ workspaceId, name: "stream-examples", scopes: ["hosts.read"], expiresInDays: 1 });
      const profile = await ownerCaller.profiles.create({ workspaceId, name: "stream examples" });
      const started = await ownerCaller.runs.start({ workspaceId, profileId: profile.id, input: "echo streamed to curl" });
      const env = { ...process.env, DP_URL: api.url, DP_TOKEN: bearer, RUN_ID: started.id };
      const { curl, eventSource } = readmeStreamExamples();

      const frames = await streamUntil(curl, env, /"kind":"turn\.ended"/);
      expect(frames.startsWith(": connected")).toBe(true);
      const events = [...frames.matchAll(/^id: (\d+)\nevent: run-event\ndata: (.*)$/gm)].map(([, id, data]) => ({ id: Number(id), event: JSON.parse(data!) as { seq: number; kind: string; text?: string } }));
      expect(events.map(({ id }) => id)).toEqual(events.map((_, index) => index + 1));
      expect(events.every(({ id, event }) => event.seq === id)).toBe(true);
      expect(events.some(({ event }) => event.kind === "output" && event.text === "streamed to curl\n")).toBe(true);
      expect(events.at(-1)!.event.kind).toBe("turn.ended");

      // The EventSource example closes its stream at turn.ended, so the program ends by itself.
      fs.writeFileSync(path.join(project, "watch-run.mjs"), eventSource);
      const { stdout } = await run(process.execPath, ["watch-run.mjs"], { cwd: project, env, timeout: 60_000 });
      expect(stdout).toBe("streamed to curl\n");
    },
    120_000,
  );
});
