import { parseArgs } from "node:util";
import { ZTokenCommandArgs } from "@/prisma-free-schema";

/**
 * `npm run tokens -- create`: an API token for a workspace's manager, made on the platform's own
 * machine without a browser, for bootstrapping internal tools and CI:
 *
 *   npm run tokens -- create --workspace <id or name> --owner <email> --name <label> \
 *     --scopes hosts.read,runs.start [--expires-days 30]
 *
 * The bearer value goes to stdout and nowhere else; everything else goes to stderr. Exit codes:
 * 0 made, 2 bad arguments, 3 refused (unknown workspace or person, no members.manage, scopes the
 * person does not hold), 1 anything else (the store unreachable or held by a running platform).
 *
 * Arguments are read with Node's util.parseArgs: one command with five options needs no more
 * (the parrot CLI, with its many commands and help pages, uses commander).
 */
const USAGE = "usage: npm run tokens -- create --workspace <id or name> --owner <email> --name <label> --scopes <scope,scope…> [--expires-days 1|7|30|90|365]";
const EXIT = { made: 0, failed: 1, usage: 2, refused: 3 } as const;

function fail(code: number, sentence: string): never {
  process.stderr.write(`${sentence}\n`);
  process.exit(code);
}

function readArgs() {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        workspace: { type: "string" },
        owner: { type: "string" },
        name: { type: "string" },
        scopes: { type: "string" },
        "expires-days": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    fail(EXIT.usage, `${(error as Error).message}\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stderr.write(`${USAGE}\n`);
    process.exit(EXIT.made);
  }
  if (positionals.length !== 1 || positionals[0] !== "create") fail(EXIT.usage, `The only command is "create".\n${USAGE}`);
  const args = ZTokenCommandArgs.safeParse({ ...values, expiresInDays: values["expires-days"] });
  if (!args.success) {
    const issue = args.error.issues[0]!;
    const option = issue.path[0] === "expiresInDays" ? "expires-days" : String(issue.path[0]);
    fail(EXIT.usage, `--${option}: ${issue.message}.\n${USAGE}`);
  }
  return args.data;
}

async function main(): Promise<void> {
  const args = readArgs();
  // stdout carries the bearer value only: informational log lines (which go to stdout) stay off.
  process.env.LOG_LEVEL = "warn";
  // Imported after the arguments are checked, so a typo is answered without opening anything.
  const [{ getEnv, EnvError }, { openStore }, { AppError }, { createApiTokenFromCommandLine }] = await Promise.all([
    import("../env"),
    import("../store/store"),
    import("../errors"),
    import("../services/api-tokens/create-api-token-from-command-line"),
  ]);
  let env;
  try {
    env = getEnv();
  } catch (error) {
    fail(EXIT.failed, error instanceof EnvError ? `The platform's settings are not valid: ${error.message}.` : String(error));
  }
  let store;
  try {
    // On this thread: a command that makes one token has no requests to keep answering meanwhile.
    store = await openStore({ store: env.store, dataDir: env.dataDir, embeddedThread: "caller" });
  } catch (error) {
    const message = (error as Error).message;
    if (env.store.mode === "embedded" && /is in use by another Disco Parrot store/.test(message)) {
      fail(
        EXIT.failed,
        `The platform is running on the embedded store in ${env.dataDir}, which one process holds at a time. ` +
          `Stop it and run this again, or run the store on its own (npm run store) and give the platform and this command its COSMOS_ENDPOINT and COSMOS_KEY (see the README).`,
      );
    }
    fail(EXIT.failed, `Could not open the store: ${message}`);
  }
  try {
    const { bearer, token, workspace } = await createApiTokenFromCommandLine({ store, args });
    process.stderr.write(`Created token "${token.name}" (${token.preview}) for ${token.ownerEmail} in workspace "${workspace.name}", expiring ${token.expiresAt}. It is shown once:\n`);
    process.stdout.write(`${bearer}\n`);
  } catch (error) {
    await store.close();
    if (error instanceof AppError) fail(error.code === "BAD_REQUEST" ? EXIT.usage : EXIT.refused, error.message);
    throw error;
  }
  // The embedded store writes its journal on close: the token exists once this returns.
  await store.close();
}

main().then(
  () => process.exit(EXIT.made),
  (error: unknown) => fail(EXIT.failed, `disco-parrot tokens: ${(error as Error).message}`),
);
