import { spawn } from "node:child_process";
import path from "node:path";
import type { Command } from "commander";
import { ZCreateApiTokenInput } from "../../../../prisma-free-schema/api-token";
import { SCOPES } from "../../../../prisma-free-schema/vocabulary/scopes";
import { TOKEN_EXPIRY_DAYS } from "../../../../prisma-free-schema/vocabulary/tokens";
import { CliError, EXIT } from "../exit-codes";
import { printJson, printTable, when } from "../output";
import type { Session } from "../session";

type Open = (command: Command) => Promise<Session>;

export function tokensCommand(program: Command, open: Open, setExitCode: (code: number) => void): void {
  const tokens = program.command("tokens").description("API tokens for internal tools and CI");

  tokens
    .command("list")
    .description("your tokens in the workspace (never their secrets)")
    .option("--json", "print apiTokens.list's answer as JSON")
    .action(async (_options, command: Command) => {
      const session = await open(command);
      const items = await session.client.apiTokens.list.query({ workspaceId: session.workspaceId });
      if (session.json) return printJson(session.io, items);
      printTable(session.io, ["id", "name", "status", "expires", "scopes"], items.map((token) => [token.id, token.name, token.status, when(token.expiresAt), token.scopes.join(" ")]));
    });

  tokens
    .command("create <name>")
    .description("make a new API token, as the Settings page does; it is shown this once")
    .requiredOption("--scope <scope...>", `what it may do: ${SCOPES.join(", ")}`)
    .option("--expires-in-days <days>", `one of ${TOKEN_EXPIRY_DAYS.join(", ")}`, "30")
    .option("--on-this-machine", "on the platform's own machine, straight to its store (npm run tokens): how the first token is made, since a token cannot make tokens")
    .option("--workspace <id or name>", "with --on-this-machine: the workspace")
    .option("--owner <email>", "with --on-this-machine: the person the token acts as (holding members.manage)")
    .option("--json", "print apiTokens.create's answer (the bearer included) as JSON")
    .action(async (name: string, options: CreateOptions, command: Command) => {
      if (options.onThisMachine) return createOnThisMachine(name, options, setExitCode);
      const parsed = ZCreateApiTokenInput.safeParse({ name, scopes: options.scope, expiresInDays: Number(options.expiresInDays) });
      if (!parsed.success) throw new CliError(EXIT.usage, `${parsed.error.issues[0]?.message ?? "Not a valid token"}.`);
      const session = await open(command);
      const created = await session.client.apiTokens.create.mutate({ workspaceId: session.workspaceId, ...parsed.data });
      if (session.json) return printJson(session.io, created);
      // The one place a secret is printed: the person asked for it, and it is never shown again.
      session.io.err(`Created token ${created.token.name} (${created.token.id}), expiring ${when(created.token.expiresAt)}. Copy it now: it is not shown again.\n`);
      session.io.out(`${created.bearer}\n`);
    });
}

interface CreateOptions {
  scope: string[];
  expiresInDays: string;
  onThisMachine?: boolean;
  workspace?: string;
  owner?: string;
}

/**
 * The platform's own token program (server/programs/tokens.ts, `npm run tokens -- create`), run
 * as it is: same checks, same audit row ("on the command line"), the bearer on stdout and nothing
 * else there. Its exit codes are the CLI's (0 made, 1 failed, 2 usage, 3 refused).
 */
function createOnThisMachine(name: string, options: CreateOptions, setExitCode: (code: number) => void): Promise<void> {
  if (!options.workspace || !options.owner) throw new CliError(EXIT.usage, "With --on-this-machine, give --workspace (its id or name) and --owner (the email of the person the token acts as).");
  const program = path.resolve(__dirname, "../../../../server/programs/tokens.ts");
  const args = ["create", "--workspace", options.workspace, "--owner", options.owner, "--name", name, "--scopes", options.scope.join(","), "--expires-days", options.expiresInDays];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", program, ...args], { stdio: "inherit" });
    child.once("error", reject);
    child.once("exit", (code) => (setExitCode(code ?? EXIT.failure), resolve()));
  });
}
