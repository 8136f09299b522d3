import { getEnv } from "./env";
import { redact } from "./redact";

/**
 * Structured logs: one JSON line per event in production (`LOG_FORMAT=json`), one readable line
 * in development. Every field passes through `redact`, so a secret never reaches a log line
 * even when a caller hands one in by mistake.
 */
export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const COLOR: Record<LogLevel, string> = { debug: "\x1b[90m", info: "\x1b[36m", warn: "\x1b[33m", error: "\x1b[31m" };

function settings(): { level: LogLevel; format: "json" | "pretty" } {
  try {
    return getEnv().log;
  } catch {
    // The env error itself is reported by boot; logging must still work until then.
    return { level: "info", format: process.env.NODE_ENV === "production" ? "json" : "pretty" };
  }
}

function prettyValue(value: unknown): string {
  if (typeof value === "string") return /\s/.test(value) ? JSON.stringify(value) : value;
  return JSON.stringify(value);
}

function write(level: LogLevel, event: string, base: LogFields, fields: LogFields | undefined): void {
  const { level: threshold, format } = settings();
  if (RANK[level] < RANK[threshold]) return;
  const safe = redact({ ...base, ...fields }) as LogFields;
  const stream = level === "error" || level === "warn" ? process.stderr : process.stdout;
  if (format === "json") {
    stream.write(`${JSON.stringify({ time: new Date().toISOString(), level, event, ...safe })}\n`);
    return;
  }
  const time = new Date().toISOString().slice(11, 23);
  const { error, ...rest } = safe;
  const pairs = Object.entries(rest)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${prettyValue(value)}`)
    .join(" ");
  const errorText = error && typeof error === "object" && "stack" in error ? `\n${String((error as { stack?: string }).stack ?? "")}` : "";
  stream.write(`\x1b[90m${time}\x1b[0m ${COLOR[level]}${level.toUpperCase().padEnd(5)}\x1b[0m ${event} ${pairs}${errorText}\n`);
}

function createLogger(base: LogFields): Logger {
  return {
    debug: (event, fields) => write("debug", event, base, fields),
    info: (event, fields) => write("info", event, base, fields),
    warn: (event, fields) => write("warn", event, base, fields),
    error: (event, fields) => write("error", event, base, fields),
    child: (fields) => createLogger({ ...base, ...fields }),
  };
}

export const log: Logger = createLogger({});
