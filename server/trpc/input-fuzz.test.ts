import { TRPCError } from "@trpc/server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import type { AnyProcedure } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { CONTAINERS, DEFAULT_PROFILE_SETTINGS } from "@/prisma-free-schema";
import type { Actor } from "../auth/actor";
import type { Logger } from "../log";
import { type PlatformHarness, startPlatformHarness } from "../channel/testing/platform-harness";
import { registerHost } from "../testing/hosts-fixtures";
import { createTestRun } from "../testing/runs-fixtures";
import { addSignedInMember, workspaceWithOwner } from "../testing/test-store";
import type { Context } from "./context";
import { appRouter } from "./root";

/**
 * A fuzz pass over every tRPC procedure, enumerated from the real `appRouter` (a new procedure
 * is covered the day it is added). Each is called with a real context (real store, real
 * channel, the workspace owner signed in) and fed hostile inputs: whole inputs of the wrong
 * shape, and a valid input with one field at a time (one level deep) swapped for junk — wrong
 * types, huge and control-laden strings, prototype-pollution keys, NaN and negative numbers,
 * malformed etags and cursors, and the ids of another workspace. Every answer must be a typed
 * 4xx (never INTERNAL_SERVER_ERROR), and afterwards no document in any container has changed.
 */
let platform: PlatformHarness;
let other: Awaited<ReturnType<typeof workspaceWithOwner>>;
/** Valid values by field name, tried in order until one parses with the procedure's own schema. */
let samples: Record<string, unknown[]>;
/** The same fields naming another workspace's things: these parse, and must still be refused. */
let foreign: Record<string, unknown>;

const OMIT = Symbol("omit");
/** Fields whose value is handed on as it is (to an If-Match header, a continuation token, a comparison). */
const OPAQUE_FIELDS = new Set(["etag", "cursor", "revision", "lastEventId"]);
const internalErrors: unknown[] = [];
/**
 * Filters that only narrow a list in the caller's own workspace: another workspace's id there
 * may be answered, but only with nothing (exactly as an id that exists nowhere), never refused
 * in a way that would tell the two apart.
 */
const LIST_FILTERS: Record<string, Set<string>> = { "runs.list": new Set(["profileId", "hostId", "startedBy"]), "audit.list": new Set(["actorId", "targetId"]) };

beforeAll(async () => {
  platform = await startPlatformHarness();
  const { owner, workspaceId } = platform;
  const caller = owner.ownerCaller;
  const host = await registerHost(caller, workspaceId, { name: "fuzz-host", kind: "docker" });
  const profile = await caller.profiles.create({ workspaceId, ...DEFAULT_PROFILE_SETTINGS, name: "Fuzz profile" });
  await addSignedInMember(platform.store, workspaceId, owner.owner, "member@fuzz.example", ["hosts.read"]);
  const member = (await caller.members.list({ workspaceId })).find((m) => m.email === "member@fuzz.example")!;
  const token = await caller.apiTokens.create({ workspaceId, name: "fuzz token", scopes: ["hosts.read"], expiresInDays: 1 });
  const run = await createTestRun(platform.store, workspaceId, owner.owner, { profileId: profile.id });

  other = await workspaceWithOwner(platform.store, `other-${Date.now()}@fuzz.example`);
  const otherWs = other.workspace.id;
  await other.ownerCaller.workspaces.setByoChannel({ workspaceId: otherWs, enabled: true });
  const otherHost = await registerHost(other.ownerCaller, otherWs, { name: "their-host", kind: "docker" });
  const otherProfile = await other.ownerCaller.profiles.create({ workspaceId: otherWs, ...DEFAULT_PROFILE_SETTINGS, name: "Theirs" });
  await addSignedInMember(platform.store, otherWs, other.owner, "theirs@fuzz.example", ["hosts.read"]);
  const otherMember = (await other.ownerCaller.members.list({ workspaceId: otherWs })).find((m) => m.email === "theirs@fuzz.example")!;
  const otherToken = await other.ownerCaller.apiTokens.create({ workspaceId: otherWs, name: "their token", scopes: ["hosts.read"], expiresInDays: 1 });
  const otherRun = await createTestRun(platform.store, otherWs, other.owner);

  samples = {
    workspaceId: [workspaceId],
    hostId: [host.id],
    profileId: [profile.id],
    runId: [run.id],
    memberId: [member.id],
    tokenId: [token.token.id],
    etag: [member.etag],
    revision: [host.updatedAt],
    limit: [10],
    cursor: [OMIT],
    eventType: [OMIT],
    lastEventId: [OMIT],
    email: ["someone-new@fuzz.example"],
    // Well-formed but unknown: only swaps the schema refuses are called, so these are never used for real.
    password: ["a-long-enough-password-1"],
    currentPassword: ["a-long-enough-password-0"],
    newPassword: ["a-long-enough-password-2"],
    token: [`dpi_${"a".repeat(43)}`],
    inviteId: [`inv_${"a".repeat(20)}`],
    scopes: [["hosts.read"]],
    name: ["fuzz-name", "dp-ws-fuzz"],
    kind: ["docker", "run"],
    id: [run.id],
    profileIds: [[profile.id]],
    status: [OMIT],
    startedBy: [OMIT],
    q: [OMIT],
    actorId: [OMIT],
    targetKind: [OMIT],
    targetId: [OMIT],
    since: [OMIT],
    until: [OMIT],
    runtimeFamilies: [["node"]],
    workloadIdentity: [false, null],
    expiresInDays: [1],
    input: ["echo fuzz"],
    days: [7],
    force: [false],
    enabled: [true],
    changes: [{ runtimeFamilies: ["node"], workloadIdentity: false }],
    settings: [{ ...DEFAULT_PROFILE_SETTINGS, name: "Fuzz settings" }, { network: "bridge", warmPools: [] }],
    hostChoice: [DEFAULT_PROFILE_SETTINGS.hostChoice],
    template: [DEFAULT_PROFILE_SETTINGS.template],
    image: [DEFAULT_PROFILE_SETTINGS.image],
    tag: [DEFAULT_PROFILE_SETTINGS.tag],
    resourceClass: [DEFAULT_PROFILE_SETTINGS.resourceClass],
    persistentWorkspace: [false],
    idle: [{ pauseAfterMinutes: 15, endAfterHours: 24 }],
    warmPool: [0],
  };
  foreign = {
    workspaceId: otherWs,
    hostId: otherHost.id,
    profileId: otherProfile.id,
    runId: otherRun.id,
    memberId: otherMember.id,
    tokenId: otherToken.token.id,
  };
}, 60_000);
afterAll(() => platform.stop());

/** Junk for any one field. JSON.parse makes `__proto__` an own key, as it arrives over the wire. */
function hostileValues(): unknown[] {
  let deep: unknown = "bottom";
  for (let depth = 0; depth < 2000; depth += 1) deep = { a: deep };
  return [
    null,
    true,
    0,
    -1,
    1.5,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    -Number.MAX_VALUE,
    2 ** 53 + 1,
    "",
    "   ",
    "x".repeat(1_000_000),
    "\u0000",
    "a\r\nX-Injected: 1",
    "\u202Egnp.exe",
    "\u2066admin\u2069",
    "\u200Fname",
    "\ud800",
    "名前 🦜",
    "../../../etc/passwd",
    "' OR 1=1 --",
    '"; DROP c; --',
    "*",
    'W/"weak"',
    '"unterminated',
    "SELECT * FROM c",
    "ws_aaaaaaaaaaaaaaaaaaaa",
    "host_aaaaaaaaaaaaaaaaaaaa",
    "run_aaaaaaaaaaaaaaaaaaaa",
    "-1",
    "99999999999999999999",
    [],
    [null],
    new Array(10_000).fill("x"),
    {},
    deep,
    JSON.parse('{"__proto__": {"polluted": true}}'),
    JSON.parse('{"constructor": {"prototype": {"polluted": true}}}'),
    { toString: "not a function", valueOf: 1 },
  ];
}

/** Whole inputs of the wrong shape. */
function hostileWholeInputs(): unknown[] {
  return [undefined, null, 42, "text", [], [1, 2], true, JSON.parse('{"__proto__": {"polluted": true}, "workspaceId": null}'), new Array(50_000).fill({})];
}

function proceduresOf(): [string, AnyProcedure][] {
  return Object.entries(appRouter._def.procedures as unknown as Record<string, AnyProcedure>);
}

/** The merged object shape of a procedure's `.input()` parsers (workspace gate + its own). */
function shapeOf(procedure: AnyProcedure): Record<string, z.ZodType> {
  const inputs = (procedure._def as { inputs: unknown[] }).inputs;
  const shape: Record<string, z.ZodType> = {};
  for (const input of inputs) {
    if (input instanceof z.ZodObject) Object.assign(shape, input.shape);
    else throw new Error(`an input parser that is not a zod object: extend the fuzz pass to cover it`);
  }
  return shape;
}

function accepts(procedure: AnyProcedure, input: unknown): boolean {
  const inputs = (procedure._def as unknown as { inputs: z.ZodType[] }).inputs;
  return inputs.every((parser) => parser.safeParse(input).success);
}

function validInput(path: string, shape: Record<string, z.ZodType>): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(shape)) {
    const candidates = samples[key];
    if (!candidates) throw new Error(`${path}: no sample for input field '${key}'; add a valid one to the fuzz pass's samples`);
    const value = candidates.find((candidate) => (candidate === OMIT ? schema.safeParse(undefined).success : schema.safeParse(candidate).success));
    if (value === undefined) throw new Error(`${path}: none of the samples for '${key}' is valid; add one`);
    if (value !== OMIT) input[key] = value;
  }
  return input;
}

/** A valid input with one field (or one field of a nested object) swapped for each hostile value. */
function* mutations(input: Record<string, unknown>, shape: Record<string, z.ZodType>): Generator<{ field: string; input: unknown; foreignId: boolean }> {
  const keys = new Set([...Object.keys(shape), ...Object.keys(input)]);
  for (const key of keys) {
    if (key in foreign) yield { field: key, input: { ...input, [key]: foreign[key] }, foreignId: true };
    for (const value of hostileValues()) {
      yield { field: key, input: { ...input, [key]: value }, foreignId: false };
    }
    const nested = input[key];
    if (nested && typeof nested === "object" && !Array.isArray(nested)) {
      for (const inner of Object.keys(nested)) {
        for (const value of hostileValues()) yield { field: `${key}.${inner}`, input: { ...input, [key]: { ...nested, [inner]: value } }, foreignId: false };
      }
    }
  }
}

function contextFor(actor: Actor | undefined): Context {
  const silent: Logger = {
    debug: () => undefined,
    info: () => undefined,
    warn: () => undefined,
    error: (event, fields) => internalErrors.push(`${event} ${String(fields?.path)}: ${String((fields?.error as Error | undefined)?.message)}`),
    child: () => silent,
  };
  return { requestId: "fuzz", store: platform.store, actor, bearerRejected: false, log: silent, origin: "http://localhost:3000" };
}

type Outcome = { ok: true; result?: unknown } | { ok: false; code: string; httpStatus: number; message: string };

/** Calls one procedure as the HTTP handler would (a subscription is read until its first item). */
async function call(path: string, procedure: AnyProcedure, ctx: Context, input: unknown): Promise<Outcome> {
  const aborter = new AbortController();
  try {
    const result = await procedure({ path, getRawInput: async () => input, ctx, type: procedure._def.type, signal: aborter.signal, batchIndex: 0 });
    if (procedure._def.type === "subscription") {
      const iterator = (result as AsyncIterable<unknown>)[Symbol.asyncIterator]();
      const first = await Promise.race([iterator.next(), new Promise<"waiting">((resolve) => setTimeout(() => resolve("waiting"), 300))]);
      aborter.abort();
      await iterator.return?.();
      if (first === "waiting") return { ok: true };
    }
    return { ok: true, result };
  } catch (error) {
    aborter.abort();
    if (!(error instanceof TRPCError)) return { ok: false, code: `not a TRPCError: ${String(error)}`, httpStatus: 500, message: String(error) };
    const httpStatus = { BAD_REQUEST: 400, UNAUTHORIZED: 401, FORBIDDEN: 403, NOT_FOUND: 404, CONFLICT: 409, PRECONDITION_FAILED: 412, PAYLOAD_TOO_LARGE: 413, UNPROCESSABLE_CONTENT: 422, TOO_MANY_REQUESTS: 429 }[
      error.code as string
    ];
    return { ok: false, code: error.code, httpStatus: httpStatus ?? 500, message: error.message };
  }
}

/** Every document's id and etag, in every container: what "nothing was written" compares. */
async function snapshot(): Promise<string[]> {
  const rows: string[] = [];
  for (const definition of Object.values(CONTAINERS)) {
    if (definition.id === "keyAttempts") continue;
    const container = await platform.store.container(definition);
    const { resources } = await container.items.query<{ id: string; _etag: string }>("SELECT c.id, c._etag FROM c").fetchAll();
    for (const row of resources) rows.push(`${definition.id}/${row.id}/${row._etag}`);
  }
  return rows.sort();
}

describe("fuzzing every tRPC procedure's input", () => {
  it("enumerates the router's procedures (so a new one is fuzzed without being listed here)", () => {
    const paths = proceduresOf().map(([path]) => path);
    expect(paths.length).toBeGreaterThan(30);
    expect(paths).toEqual(expect.arrayContaining(["members.remove", "runs.events", "profiles.update", "hosts.removeDockerVolume"]));
  });

  it.each(proceduresOf().map(([path, procedure]) => [path, procedure] as const))(
    "%s answers hostile input with a typed 4xx and writes nothing",
    async (path, procedure) => {
      internalErrors.length = 0;
      const before = await snapshot();
      const failures: string[] = [];
      const record = (what: string, outcome: Outcome) => {
        if (outcome.ok) failures.push(`${what}: succeeded`);
        else if (outcome.httpStatus >= 500) failures.push(`${what}: ${outcome.code} ${outcome.message}`);
      };
      const owner = contextFor(platform.owner.owner);
      const shape = shapeOf(procedure);
      const takesInput = Object.keys(shape).length > 0;

      for (const whole of hostileWholeInputs()) {
        const outcome = await call(path, procedure, owner, whole);
        // A procedure without input ignores what it is sent; it must still not fail.
        if (takesInput || !outcome.ok) record(`whole input ${describeValue(whole)}`, outcome);
        // The same for a public one (what the sign-in page asks before anyone has signed in).
        const anonymous = await call(path, procedure, contextFor(undefined), whole);
        if (takesInput || !anonymous.ok) record(`anonymous, whole input ${describeValue(whole)}`, anonymous);
      }
      if (takesInput) {
        const valid = validInput(path, shape);
        for (const { field, input, foreignId } of mutations(valid, shape)) {
          // A swap the schema accepts is a valid input (a nullable field given null, a name with a
          // quote in it), not a hostile one, except where the value travels on verbatim: an id of
          // another workspace, or an etag / cursor / revision that reaches a store header or query.
          const accepted = accepts(procedure, input);
          const opaque = OPAQUE_FIELDS.has(field.split(".")[0]!);
          if (accepted && !foreignId && !opaque) continue;
          const label = foreignId ? `${field} of another workspace` : `${field} = ${describeValue(valueAt(input, field))}`;
          const outcome = await call(path, procedure, owner, input);
          // Reading a page with an odd but well-formed cursor may succeed; nothing else may.
          if (outcome.ok && accepted && !foreignId && procedure._def.type !== "mutation") continue;
          if (outcome.ok && foreignId && LIST_FILTERS[path]?.has(field)) {
            expect((outcome.result as { items: unknown[] }).items, `${path}: ${field} of another workspace`).toEqual([]);
            continue;
          }
          record(label, outcome);
        }
      }

      expect(failures).toEqual([]);
      expect(internalErrors).toEqual([]);
      expect(await snapshot()).toEqual(before);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    },
    120_000,
  );
});

/** The real `/api/trpc` handler (as app/api/trpc/[trpc]/route.ts mounts it), with the test's context. */
function overHttp(request: Request, as: "owner" | "anonymous" = "owner"): Promise<Response> {
  const actor = as === "owner" ? platform.owner.owner : undefined;
  return fetchRequestHandler({ endpoint: "/api/trpc", req: request, router: appRouter, createContext: () => contextFor(actor) });
}
const trpcUrl = (path: string, input?: unknown) =>
  `http://localhost:3000/api/trpc/${path}${input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`}`;

/** Reads an SSE body until `until` shows up (or a second passes), then lets it go. */
async function readStream(response: Response, until: RegExp): Promise<string> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  const deadline = Date.now() + 1000;
  while (!until.test(text) && Date.now() < deadline) {
    const next = await Promise.race([reader.read(), new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 200))]);
    if (!next || next.done) continue;
    text += decoder.decode(next.value, { stream: true });
  }
  await reader.cancel();
  return text;
}

describe("the same over the HTTP handler", () => {
  it("answers a malformed etag with 400 and a field error, not 500, and writes nothing", async () => {
    const before = await snapshot();
    const member = (await platform.owner.ownerCaller.members.list({ workspaceId: platform.workspaceId })).find((m) => m.role !== "owner")!;
    for (const etag of ["\u0000", "a\r\nX-Injected: 1", "名前", "*", " "]) {
      const response = await overHttp(
        new Request(trpcUrl("members.updateScopes"), {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ workspaceId: platform.workspaceId, memberId: member.id, scopes: ["hosts.read", "audit.read"], etag }),
        }),
      );
      expect(response.status).toBe(400);
      const body = (await response.json()) as { error: { data: { code: string; fieldErrors: Record<string, string[]> } } };
      expect(body.error.data.code).toBe("BAD_REQUEST");
      expect(body.error.data.fieldErrors.etag?.length).toBeGreaterThan(0);
    }
    expect(await snapshot()).toEqual(before);
  });

  it("streams NOT_FOUND, never an internal error, for runs.events of an unknown run or another workspace's", async () => {
    for (const runId of ["run_aaaaaaaaaaaaaaaaaaaa", foreign.runId as string]) {
      const response = await overHttp(new Request(trpcUrl("runs.events", { workspaceId: platform.workspaceId, runId }), { headers: { accept: "text/event-stream" } }));
      const text = await readStream(response, /serialized-error\ndata: .*\n/);
      expect(text).toContain("serialized-error");
      expect(text).toContain("NOT_FOUND");
      expect(text).not.toContain("INTERNAL_SERVER_ERROR");
    }
  });

  it("answers bodies that are not JSON, prototype keys and unknown procedures with 4xx", async () => {
    const post = (path: string, body: string) => overHttp(new Request(trpcUrl(path), { method: "POST", headers: { "content-type": "application/json" }, body }));
    expect((await post("workspaces.create", "{not json")).status).toBe(400);
    expect((await post("workspaces.create", '{"__proto__": {"polluted": true}, "name": {"__proto__": null}}')).status).toBe(400);
    expect((await post("no.such.procedure", "{}")).status).toBe(404);
    expect((await overHttp(new Request(trpcUrl("members.list", { workspaceId: platform.workspaceId })), "anonymous")).status).toBe(401);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

function valueAt(input: unknown, field: string): unknown {
  return field.split(".").reduce<unknown>((at, key) => (at as Record<string, unknown> | undefined)?.[key], input);
}

function describeValue(value: unknown): string {
  const text = typeof value === "string" ? JSON.stringify(value) : Array.isArray(value) ? `array(${value.length})` : value === null ? "null" : typeof value === "object" ? "object" : String(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
