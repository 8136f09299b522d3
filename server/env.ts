import path from "node:path";
import { z } from "zod";

/**
 * The platform's settings, read from the environment once and validated here. Every other
 * module asks `getEnv()`; none reads `process.env` itself. A bad or missing setting stops the
 * process at start with one line naming it (see `formatEnvError`), and a secret's value is
 * never echoed, only its length.
 */
const SECRET_SETTINGS = new Set(["COSMOS_KEY", "AUTH_SECRET", "AUTH_ENTRA_CLIENT_SECRET", "PLATFORM_ADMIN_TOKEN", "WEBPUBSUB_CONNECTION_STRING", "WEBPUBSUB_EVENT_HANDLER_SECRET"]);

const booleanFlag = z
  .enum(["true", "false", "1", "0", "yes", "no"], { message: "must be true or false" })
  .transform((value) => value === "true" || value === "1" || value === "yes");

const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((value) => (value ? value : undefined));

/** A whole-number setting of at least `min`. */
function count(message: string, min = 1) {
  return z.coerce.number({ message: `must be ${message}` }).int({ message: `must be ${message}` }).min(min, { message: `must be ${message}` });
}

const ZRawEnv = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number({ message: "must be a port number" }).int().min(1).max(65535).default(3000),
  PUBLIC_URL: z.url({ message: "must be an absolute URL such as https://parrot.example.com" }).optional(),
  DATA_DIR: z.string().trim().min(1).default(".data"),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  LOG_FORMAT: z.enum(["json", "pretty"]).optional(),

  COSMOS_ENDPOINT: z.url({ message: "must be the account URL, e.g. https://acct.documents.azure.com:443/" }).optional(),
  COSMOS_KEY: optionalText,
  COSMOS_DATABASE: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9-_]{0,254}$/, { message: "must be a database id (letters, digits, - and _)" })
    .default("discoparrot"),

  AUTH_SECRET: optionalText.pipe(z.string().min(32, { message: "must be at least 32 characters" }).optional()),
  AUTH_LOCAL_ENABLED: booleanFlag.optional(),
  AUTH_ENTRA_CLIENT_ID: optionalText,
  AUTH_ENTRA_CLIENT_SECRET: optionalText,
  AUTH_ENTRA_TENANT_ID: optionalText,

  WEBPUBSUB_CONNECTION_STRING: optionalText.pipe(
    z.string().regex(/endpoint=[^;]+;.*accesskey=|accesskey=[^;]+;.*endpoint=/i, { message: "must be a Web PubSub connection string (Endpoint=…;AccessKey=…;Version=1.0;)" }).optional(),
  ),
  WEBPUBSUB_ENDPOINT: z.url({ message: "must be the Web PubSub resource URL, e.g. https://parrot.webpubsub.azure.com" }).optional(),
  /**
   * With managed identity there is no access key to check the hub's event signatures with, so the
   * event handler URL configured on the hub carries this secret instead (`…/api/channel/events?secret=…`).
   */
  WEBPUBSUB_EVENT_HANDLER_SECRET: optionalText.pipe(z.string().min(32, { message: "must be at least 32 characters" }).optional()),
  /** The embedded hub's loopback port; 0 picks a free one. */
  EMBEDDED_HUB_PORT: z.coerce.number({ message: "must be a port number" }).int().min(0).max(65535).default(0),
  OPERATOR_IMAGE: z
    .string()
    .regex(/^[a-z0-9]+([._/:@-][a-zA-Z0-9]+)*$/, { message: "must be a container image reference such as ghcr.io/discoparrot/operator:0.1.0" })
    .default("ghcr.io/discoparrot/operator:0.1.0"),

  NEW_WORKSPACE_PLAN: z.enum(["team", "enterprise"]).default("enterprise"),
  PLATFORM_ADMIN_TOKEN: optionalText.pipe(z.string().min(32, { message: "must be at least 32 characters" }).optional()),

  // --- Sign-in and sessions (issue 10 items 2 and 3) ---
  /** Failed password sign-ins allowed per account, and per client address, within one window. */
  SIGNIN_MAX_FAILURES_PER_ACCOUNT: z.coerce.number({ message: "must be a whole number" }).int().min(1).max(1000).default(5),
  SIGNIN_MAX_FAILURES_PER_ADDRESS: z.coerce.number({ message: "must be a whole number" }).int().min(1).max(100000).default(50),
  SIGNIN_WINDOW_SECONDS: z.coerce.number({ message: "must be a number of seconds" }).int().min(10).max(86400).default(900),
  INVITE_TTL_HOURS: z.coerce.number({ message: "must be a number of hours" }).int().min(1).max(720).default(72),
  SESSION_MAX_AGE_HOURS: z.coerce.number({ message: "must be a number of hours" }).int().min(1).max(2160).default(168),
  /** Proxies in front of the platform that append to X-Forwarded-For; 0 = clients connect directly. */
  TRUSTED_PROXY_HOPS: z.coerce.number({ message: "must be a whole number" }).int().min(0).max(10).default(0),
  // --- end sign-in ---
  // ── Limits (issue 10 item 5): so one person cannot exhaust the platform. See README "Limits". ──
  /** At least 512 KiB: a turn's input may be 256 KiB, and JSON escaping can grow it. */
  REQUEST_BODY_LIMIT_BYTES: count("a number of bytes, at least 524288 (512 KiB)", 524_288).default(1_048_576),
  /** At least the 10 calls our own clients put in one batch (client/batch-limit.ts). */
  TRPC_MAX_BATCH_SIZE: count("a whole number, at least 10 (our clients batch up to 10 calls)", 10).default(20),
  MAX_HOSTS_PER_WORKSPACE: count("a whole number, at least 1").default(50),
  MAX_PROFILES_PER_WORKSPACE: count("a whole number, at least 1").default(100),
  MAX_API_TOKENS_PER_WORKSPACE: count("a whole number, at least 1").default(100),
  MAX_MEMBERS_PER_WORKSPACE: count("a whole number, at least 1").default(200),
  MAX_RUNNING_SANDBOXES_PER_WORKSPACE: count("a whole number, at least 1").default(20),
  MAX_WORKSPACES_PER_PERSON: count("a whole number, at least 1").default(10),
  MAX_CONCURRENT_RUNS_PER_PERSON: count("a whole number, at least 1").default(5),
  MAX_EVENT_STREAMS_PER_PRINCIPAL: count("a whole number, at least 1").default(20),
  KEY_EXCHANGE_REFUSALS_PER_KEY: count("a whole number, at least 1").default(5),
  KEY_EXCHANGE_REFUSALS_PER_HOST: count("a whole number, at least 1").default(20),
  // ── end of limits ──
});

export interface Env {
  nodeEnv: "development" | "production" | "test";
  port: number;
  /** Where people reach the platform; unset means "trust the request's Host" (local use). */
  publicUrl: string | undefined;
  dataDir: string;
  log: { level: "debug" | "info" | "warn" | "error"; format: "json" | "pretty" };
  store:
    | { mode: "embedded"; database: string }
    | { mode: "azure"; endpoint: string; key: string | undefined; database: string };
  /**
   * The messaging channel: Azure Web PubSub by connection string or by endpoint with managed
   * identity; otherwise the embedded hub in this process, on a loopback port.
   */
  channel:
    | { mode: "embedded"; port: number }
    | { mode: "azure"; connectionString: string }
    | { mode: "azure-identity"; endpoint: string; eventHandlerSecret: string };
  /** The operator image bundles name. */
  operatorImage: string;
  /** The plan a new workspace starts on; a billing system changes it through the admin API. */
  newWorkspacePlan: "team" | "enterprise";
  /** Bearer for the platform operator's admin API (plans); unset turns that API off. */
  platformAdminToken: string | undefined;
  auth: {
    /** Undefined in embedded mode: a secret is generated once and kept under DATA_DIR. */
    secret: string | undefined;
    localSignIn: boolean;
    /**
     * Local sign-in without a password: development only (`npm run dev`, NODE_ENV=development).
     * Everywhere else local accounts have passwords.
     */
    localPasswordless: boolean;
    /** Failed password sign-ins allowed per account / per address within `windowSeconds`. */
    signInLimits: { perAccount: number; perAddress: number; windowSeconds: number };
    inviteTtlHours: number;
    sessionMaxAgeHours: number;
    trustedProxyHops: number;
    /** Why local sign-in is on: the embedded defaults, or AUTH_LOCAL_ENABLED=true. */
    localSignInSource: "embedded-default" | "setting";
    entra: { clientId: string; clientSecret: string; tenantId: string } | undefined;
  };
  /** Caps (issue 10 item 5); each is a setting, documented in the README's Limits section. */
  limits: Limits;
}

export interface Limits {
  /** Largest request body any route reads; larger ones get 413 before parsing. */
  requestBodyBytes: number;
  /** Most calls in one tRPC batch. */
  trpcMaxBatchSize: number;
  hostsPerWorkspace: number;
  profilesPerWorkspace: number;
  apiTokensPerWorkspace: number;
  membersPerWorkspace: number;
  runningSandboxesPerWorkspace: number;
  workspacesPerPerson: number;
  concurrentRunsPerPerson: number;
  /** Open run event streams (SSE and the runs.events subscription) per person or API token. */
  eventStreamsPerPrincipal: number;
  /** Refused key exchanges a minute per presented key, and per host, before 429. */
  keyExchangeRefusalsPerKey: number;
  keyExchangeRefusalsPerHost: number;
}

export class EnvError extends Error {
  constructor(
    readonly setting: string,
    readonly problem: string,
  ) {
    super(`${setting} ${problem}`);
    this.name = "EnvError";
  }
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  // An empty variable means "not set", as it does for most twelve-factor apps.
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== undefined && value !== ""));
  const parsed = ZRawEnv.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const setting = String(issue.path[0] ?? "environment");
    const value = present[setting];
    const shown = value === undefined ? "" : SECRET_SETTINGS.has(setting) ? ` (got ${value.length} characters)` : ` (got "${value}")`;
    throw new EnvError(setting, `${issue.message}${shown}`);
  }
  const raw = parsed.data;
  const embedded = !raw.COSMOS_ENDPOINT;

  const entraParts = [raw.AUTH_ENTRA_CLIENT_ID, raw.AUTH_ENTRA_CLIENT_SECRET, raw.AUTH_ENTRA_TENANT_ID];
  if (entraParts.some(Boolean) && !entraParts.every(Boolean)) {
    const missing = ["AUTH_ENTRA_CLIENT_ID", "AUTH_ENTRA_CLIENT_SECRET", "AUTH_ENTRA_TENANT_ID"].filter((_, i) => !entraParts[i]);
    throw new EnvError(missing[0]!, "must be set too: Entra ID sign-in needs the client id, client secret and tenant id");
  }
  const localSignIn = raw.AUTH_LOCAL_ENABLED ?? embedded;
  const entra = raw.AUTH_ENTRA_CLIENT_ID
    ? { clientId: raw.AUTH_ENTRA_CLIENT_ID, clientSecret: raw.AUTH_ENTRA_CLIENT_SECRET!, tenantId: raw.AUTH_ENTRA_TENANT_ID! }
    : undefined;
  if (!embedded && !raw.AUTH_SECRET) {
    throw new EnvError("AUTH_SECRET", "is required when COSMOS_ENDPOINT is set (sessions must survive a restart and be shared by revisions)");
  }
  if (raw.WEBPUBSUB_ENDPOINT && !raw.WEBPUBSUB_CONNECTION_STRING && !raw.WEBPUBSUB_EVENT_HANDLER_SECRET) {
    throw new EnvError("WEBPUBSUB_EVENT_HANDLER_SECRET", "is required with WEBPUBSUB_ENDPOINT: without an access key it is how the platform knows events come from your hub");
  }
  if (!localSignIn && !entra) {
    throw new EnvError("AUTH_ENTRA_CLIENT_ID", "is required: with local sign-in off, Entra ID is the only way to sign in");
  }

  return {
    nodeEnv: raw.NODE_ENV,
    port: raw.PORT,
    publicUrl: raw.PUBLIC_URL?.replace(/\/$/, ""),
    dataDir: path.resolve(raw.DATA_DIR),
    log: { level: raw.LOG_LEVEL, format: raw.LOG_FORMAT ?? (raw.NODE_ENV === "production" ? "json" : "pretty") },
    store: raw.COSMOS_ENDPOINT
      ? { mode: "azure", endpoint: raw.COSMOS_ENDPOINT, key: raw.COSMOS_KEY, database: raw.COSMOS_DATABASE }
      : { mode: "embedded", database: raw.COSMOS_DATABASE },
    channel: raw.WEBPUBSUB_CONNECTION_STRING
      ? { mode: "azure", connectionString: raw.WEBPUBSUB_CONNECTION_STRING }
      : raw.WEBPUBSUB_ENDPOINT
        ? { mode: "azure-identity", endpoint: raw.WEBPUBSUB_ENDPOINT, eventHandlerSecret: raw.WEBPUBSUB_EVENT_HANDLER_SECRET! }
        : { mode: "embedded", port: raw.EMBEDDED_HUB_PORT },
    operatorImage: raw.OPERATOR_IMAGE,
    newWorkspacePlan: raw.NEW_WORKSPACE_PLAN,
    platformAdminToken: raw.PLATFORM_ADMIN_TOKEN,
    auth: {
      secret: raw.AUTH_SECRET,
      localSignIn,
      localSignInSource: raw.AUTH_LOCAL_ENABLED === undefined ? "embedded-default" : "setting",
      entra,
      // Only when NODE_ENV says development explicitly (next dev sets it): an unset NODE_ENV never means "no passwords".
      localPasswordless: localSignIn && present.NODE_ENV === "development",
      signInLimits: { perAccount: raw.SIGNIN_MAX_FAILURES_PER_ACCOUNT, perAddress: raw.SIGNIN_MAX_FAILURES_PER_ADDRESS, windowSeconds: raw.SIGNIN_WINDOW_SECONDS },
      inviteTtlHours: raw.INVITE_TTL_HOURS,
      sessionMaxAgeHours: raw.SESSION_MAX_AGE_HOURS,
      trustedProxyHops: raw.TRUSTED_PROXY_HOPS,
    },
    limits: {
      requestBodyBytes: raw.REQUEST_BODY_LIMIT_BYTES,
      trpcMaxBatchSize: raw.TRPC_MAX_BATCH_SIZE,
      hostsPerWorkspace: raw.MAX_HOSTS_PER_WORKSPACE,
      profilesPerWorkspace: raw.MAX_PROFILES_PER_WORKSPACE,
      apiTokensPerWorkspace: raw.MAX_API_TOKENS_PER_WORKSPACE,
      membersPerWorkspace: raw.MAX_MEMBERS_PER_WORKSPACE,
      runningSandboxesPerWorkspace: raw.MAX_RUNNING_SANDBOXES_PER_WORKSPACE,
      workspacesPerPerson: raw.MAX_WORKSPACES_PER_PERSON,
      concurrentRunsPerPerson: raw.MAX_CONCURRENT_RUNS_PER_PERSON,
      eventStreamsPerPrincipal: raw.MAX_EVENT_STREAMS_PER_PRINCIPAL,
      keyExchangeRefusalsPerKey: raw.KEY_EXCHANGE_REFUSALS_PER_KEY,
      keyExchangeRefusalsPerHost: raw.KEY_EXCHANGE_REFUSALS_PER_HOST,
    },
  };
}

const ENV_KEY = Symbol.for("discoparrot.env");
type EnvHolder = { [ENV_KEY]?: Env };

/** The settings of this process, parsed on first call (boot calls it first, so errors surface at start). */
export function getEnv(): Env {
  const holder = globalThis as EnvHolder;
  holder[ENV_KEY] ??= parseEnv(process.env);
  return holder[ENV_KEY];
}
