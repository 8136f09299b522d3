import type { Command } from "commander";
import { saveConfig, parseConfig, type Env } from "../config";
import type { Io } from "../output";
import { printJson } from "../output";
import { platformClient } from "../platform-client";
import { workspaceOf } from "../session";

/**
 * `parrot login --url <url> --token <token>`: the token is tried against the platform first, so
 * a wrong one is refused and nothing is saved. The token may also come from PARROT_TOKEN, which
 * keeps it out of the shell's history.
 */
export function loginCommand(program: Command, io: Io, env: Env): void {
  program
    .command("login")
    .description("check a platform URL and API token, then save them for the next commands (file mode 0600)")
    .requiredOption("--url <url>", "the platform's address, e.g. https://parrot.example.com", env.PARROT_URL)
    .option("--token <token>", "an API token (dpt_…); defaults to $PARROT_TOKEN")
    .option("--json", "print the result as JSON")
    .action(async (options: { url: string; token?: string; json?: boolean }) => {
      const config = parseConfig({ url: options.url, token: options.token ?? env.PARROT_TOKEN ?? "" }, "parrot login");
      const workspace = await workspaceOf(platformClient(config));
      const file = saveConfig(config, env);
      if (options.json) return printJson(io, { url: config.url, workspace, configFile: file });
      io.out(`Logged in to ${config.url}, workspace ${workspace.name} (${workspace.id}). Saved in ${file}.\n`);
    });
}
