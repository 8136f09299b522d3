import { parseArgs } from "node:util";
import type { TOperatorSettings } from "@/prisma-free-schema";
import { operatorVersionFrom } from "../version";
import { readBundleEnv } from "./bundle-env";
import type { OperatorChannel } from "./operator-channel";
import type { OperatorLog } from "./operator-log";
import { EXIT, stopOnSignals } from "./program";
import { readOperatorSettings } from "./read-operator-settings";

/** An operator's exit codes: the shared ones, and 3 when the platform rejected the install key (download a new bundle). */
export const OPERATOR_EXIT = { ...EXIT, keyRejected: 3 } as const;

export interface OperatorStart {
  /** The environment with the bundle's settings over it (the environment fills only what the bundle lacks). */
  env: Record<string, string | undefined>;
  settings: TOperatorSettings;
  operatorVersion: string;
}

/**
 * What every operator program reads at start: `--bundle <file>` if given, its settings and its
 * version. Undefined, after one log line naming what is wrong (never a key's value), when they are bad.
 */
export async function readOperatorStart(log: OperatorLog, usage: string): Promise<OperatorStart | undefined> {
  let bundle: string | undefined;
  try {
    ({ bundle } = parseArgs({ options: { bundle: { type: "string" } }, strict: true }).values);
  } catch (error) {
    log.error(`${(error as Error).message}; usage: ${usage}`);
    return undefined;
  }
  let env: Record<string, string | undefined> = process.env;
  if (bundle !== undefined) {
    try {
      env = { ...process.env, ...(await readBundleEnv(bundle)) };
      log.info("settings from the bundle", { bundle });
    } catch (error) {
      log.error((error as Error).message);
      return undefined;
    }
  }
  const read = readOperatorSettings(env);
  const version = operatorVersionFrom(env);
  for (const problem of [!read.ok && read.problem, !version.ok && version.problem]) {
    if (problem) {
      log.error(`invalid operator setting ${problem}`);
      return undefined;
    }
  }
  if (!read.ok || !version.ok) return undefined;
  return { env, settings: read.settings, operatorVersion: version.version };
}

/** Runs the channel until a signal stops it or the platform rejects the key; the exit code says which. */
export async function runOperatorChannel(log: OperatorLog, channel: OperatorChannel): Promise<number> {
  const release = stopOnSignals(log, () => channel.stop());
  try {
    return (await channel.run()) === "rejected" ? OPERATOR_EXIT.keyRejected : OPERATOR_EXIT.stopped;
  } finally {
    release();
  }
}
