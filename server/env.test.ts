import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "./env";

describe("settings", () => {
  it("runs on embedded defaults with nothing set", () => {
    const env = parseEnv({});
    expect(env.store).toEqual({ mode: "embedded", database: "discoparrot" });
    expect(env.port).toBe(3000);
    expect(env.auth.localSignIn).toBe(true);
    expect(env.dataDir).toBe(path.resolve(".data"));
  });

  it("switches the store to Azure and local sign-in off when COSMOS_ENDPOINT is set", () => {
    const env = parseEnv({
      COSMOS_ENDPOINT: "https://acct.documents.azure.com:443/",
      AUTH_SECRET: "s".repeat(40),
      AUTH_ENTRA_CLIENT_ID: "id",
      AUTH_ENTRA_CLIENT_SECRET: "secret",
      AUTH_ENTRA_TENANT_ID: "tenant",
    });
    expect(env.store).toMatchObject({ mode: "azure", key: undefined });
    expect(env.auth.localSignIn).toBe(false);
  });

  it("allows sign-in without a password only in development", () => {
    expect(parseEnv({ NODE_ENV: "development" }).auth.localPasswordless).toBe(true);
    expect(parseEnv({ NODE_ENV: "production" }).auth.localPasswordless).toBe(false);
    expect(parseEnv({ NODE_ENV: "test" }).auth.localPasswordless).toBe(false);
    expect(parseEnv({}).auth.localPasswordless).toBe(false);
    // Even switched on explicitly, production local sign-in asks for a password.
    expect(parseEnv({ NODE_ENV: "production", AUTH_LOCAL_ENABLED: "true" }).auth).toMatchObject({ localSignIn: true, localPasswordless: false });
    expect(parseEnv({}).auth).toMatchObject({ signInLimits: { perAccount: 5, perAddress: 50, windowSeconds: 900 }, inviteTtlHours: 72, sessionMaxAgeHours: 168, trustedProxyHops: 0 });
  });

  it.each([
    [{ PORT: "eighty" }, "PORT"],
    [{ SIGNIN_MAX_FAILURES_PER_ACCOUNT: "0" }, "SIGNIN_MAX_FAILURES_PER_ACCOUNT"],
    [{ INVITE_TTL_HOURS: "soon" }, "INVITE_TTL_HOURS"],
    [{ COSMOS_ENDPOINT: "not a url" }, "COSMOS_ENDPOINT"],
    [{ COSMOS_ENDPOINT: "https://acct.documents.azure.com/" }, "AUTH_SECRET"],
    [{ AUTH_ENTRA_CLIENT_ID: "id" }, "AUTH_ENTRA_CLIENT_SECRET"],
    [{ LOG_LEVEL: "loud" }, "LOG_LEVEL"],
    [{ AUTH_LOCAL_ENABLED: "maybe" }, "AUTH_LOCAL_ENABLED"],
  ])("names the bad setting: %o", (source, setting) => {
    expect(() => parseEnv(source)).toThrow(EnvError);
    try {
      parseEnv(source);
    } catch (error) {
      expect((error as EnvError).setting).toBe(setting);
    }
  });

  it("never echoes a secret's value, only its length", () => {
    const secret = "short-secret";
    try {
      parseEnv({ AUTH_SECRET: secret });
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).not.toContain(secret);
      expect((error as Error).message).toContain(`${secret.length} characters`);
    }
  });

  it("stops the process at start with one line naming the setting", () => {
    const root = path.resolve(__dirname, "..");
    const result = spawnSync(process.execPath, ["--import", "tsx", "-e", "require('./server/boot.ts').bootPlatform()"], {
      cwd: root,
      env: { PATH: process.env.PATH, NODE_ENV: "test", PORT: "not-a-port" },
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    const lines = result.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^disco-parrot: configuration error: PORT /);
  });

  it("has a sensible default for every cap, and takes each from its setting", () => {
    expect(parseEnv({}).limits).toEqual({
      requestBodyBytes: 1_048_576,
      trpcMaxBatchSize: 20,
      hostsPerWorkspace: 50,
      profilesPerWorkspace: 100,
      apiTokensPerWorkspace: 100,
      membersPerWorkspace: 200,
      runningSandboxesPerWorkspace: 20,
      workspacesPerPerson: 10,
      concurrentRunsPerPerson: 5,
      eventStreamsPerPrincipal: 20,
      keyExchangeRefusalsPerKey: 5,
      keyExchangeRefusalsPerHost: 20,
    });
    expect(parseEnv({ MAX_HOSTS_PER_WORKSPACE: "3", REQUEST_BODY_LIMIT_BYTES: "2000000" }).limits).toMatchObject({ hostsPerWorkspace: 3, requestBodyBytes: 2_000_000 });
  });

  it.each([
    [{ MAX_HOSTS_PER_WORKSPACE: "0" }, "MAX_HOSTS_PER_WORKSPACE"],
    [{ MAX_EVENT_STREAMS_PER_PRINCIPAL: "many" }, "MAX_EVENT_STREAMS_PER_PRINCIPAL"],
    [{ MAX_CONCURRENT_RUNS_PER_PERSON: "2.5" }, "MAX_CONCURRENT_RUNS_PER_PERSON"],
    // Below what a 256 KiB turn needs, and below what our own clients batch.
    [{ REQUEST_BODY_LIMIT_BYTES: "1000" }, "REQUEST_BODY_LIMIT_BYTES"],
    [{ TRPC_MAX_BATCH_SIZE: "5" }, "TRPC_MAX_BATCH_SIZE"],
  ])("refuses a cap that is not a sensible number: %o", (source, setting) => {
    expect(() => parseEnv(source)).toThrow(EnvError);
    try {
      parseEnv(source);
    } catch (error) {
      expect((error as EnvError).setting).toBe(setting);
    }
  });
});
