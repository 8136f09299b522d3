import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ZCliConfig, type TCliConfig } from "../../../prisma-free-schema/cli";
import { CliError, EXIT } from "./exit-codes";

/** The variables the CLI reads (process.env, or a test's own). */
export type Env = Record<string, string | undefined>;

/** `$XDG_CONFIG_HOME/parrot/config.json`, else `~/.config/parrot/config.json`. */
export function configPath(env: Env = process.env): string {
  const base = env.XDG_CONFIG_HOME?.trim() ? env.XDG_CONFIG_HOME : path.join(os.homedir(), ".config");
  return path.join(base, "parrot", "config.json");
}

/**
 * Where the CLI talks to and as whom: PARROT_URL and PARROT_TOKEN together win (CI sets them and
 * never logs in); otherwise the file `parrot login` wrote. Messages never quote the token.
 */
export function loadConfig(env: Env = process.env): TCliConfig {
  if (env.PARROT_URL || env.PARROT_TOKEN) {
    if (!env.PARROT_URL || !env.PARROT_TOKEN) throw new CliError(EXIT.usage, "Set both PARROT_URL and PARROT_TOKEN, or neither (then `parrot login` is used).");
    return parseConfig({ url: env.PARROT_URL, token: env.PARROT_TOKEN }, "PARROT_URL/PARROT_TOKEN");
  }
  const file = configPath(env);
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    throw new CliError(EXIT.usage, "Not logged in: run `parrot login` (or set PARROT_URL and PARROT_TOKEN).");
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new CliError(EXIT.usage, `${file} is not valid JSON: run \`parrot login\` again.`);
  }
  return parseConfig(raw, file);
}

export function parseConfig(raw: unknown, source: string): TCliConfig {
  const parsed = ZCliConfig.safeParse(raw);
  if (!parsed.success) throw new CliError(EXIT.usage, `${source}: ${parsed.error.issues[0]?.message ?? "not a valid configuration"}.`.replace(/\.\.$/, "."));
  return parsed.data;
}

/** Written for the user alone: the folder 0700 and the file 0600, whatever the umask, and replaced whole. */
export function saveConfig(config: TCliConfig, env: Env = process.env): string {
  const file = configPath(env);
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700);
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  fs.chmodSync(temporary, 0o600);
  fs.renameSync(temporary, file);
  return file;
}
