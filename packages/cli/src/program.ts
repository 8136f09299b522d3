import fs from "node:fs";
import path from "node:path";
import { Command, CommanderError } from "commander";
import { loginCommand } from "./commands/login";
import { hostsCommand } from "./commands/hosts";
import { profilesCommand } from "./commands/profiles";
import { runsCommand } from "./commands/runs";
import { tokensCommand } from "./commands/tokens";
import { loadConfig, type Env } from "./config";
import { describeError, EXIT } from "./exit-codes";
import type { Io } from "./output";
import { openSession } from "./session";

/** The platform's version: the CLI ships with it, from the same checkout. */
const VERSION = (JSON.parse(fs.readFileSync(path.join(__dirname, "../../../package.json"), "utf8")) as { version: string }).version;

/**
 * `parrot` with its arguments, against `env` (PARROT_URL/PARROT_TOKEN, XDG_CONFIG_HOME), writing
 * to `io`: resolves with the exit code. Every error becomes one sentence on stderr; main.ts only
 * hands this the process's arguments and exits with the answer.
 */
export async function runParrot(argv: string[], io: Io, env: Env = process.env): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = new Command("parrot")
    .description("Disco Parrot from the command line: hosts, profiles, runs and tokens of your token's workspace")
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err, outputError: (text, write) => write(text) })
    .showSuggestionAfterError();
  const open = (command: Command) => openSession(io, Boolean(command.optsWithGlobals().json), loadConfig(env));

  loginCommand(program, io, env);
  hostsCommand(program, open);
  profilesCommand(program, open);
  runsCommand(program, open, (code) => (exitCode = code));
  tokensCommand(program, open, (code) => (exitCode = code));

  try {
    await program.parseAsync(argv, { from: "user" });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version are not failures; commander has already printed its message.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    const described = describeError(error);
    io.err(`parrot: ${described.message}\n`);
    return described.exitCode;
  }
}
