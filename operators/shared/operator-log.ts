import { redactSecrets } from "./redact-secrets";

/**
 * Operator logs: one JSON object per line on stdout (`{"time","level","msg",...fields}`), which
 * is what `docker logs` and `kubectl logs` collect. Every line passes through `redactSecrets`
 * after it is serialised, so a key that reaches a field by mistake (an error message, a URL) is
 * still never written.
 */
export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export type LogFields = Record<string, unknown>;

export interface OperatorLog {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A log that adds `fields` to every line. */
  child(fields: LogFields): OperatorLog;
}

export interface OperatorLogOptions {
  /** Lines below this level are not written. Default info. */
  level?: LogLevel;
  /** Where each line (with its newline) goes. Default stdout. */
  write?: (line: string) => void;
}

/** Field names whose values are never written, whatever they hold. */
const SECRET_FIELD = /^(key|installkey|install_key|token|accesstoken|access_token|secret|password)$/i;

export function createOperatorLog(options: OperatorLogOptions = {}): OperatorLog {
  const threshold = LOG_LEVELS.indexOf(options.level ?? "info");
  const write = options.write ?? ((line: string) => void process.stdout.write(line));

  const make = (base: LogFields): OperatorLog => {
    const emit = (level: LogLevel, msg: string, fields?: LogFields) => {
      if (LOG_LEVELS.indexOf(level) < threshold) return;
      const line = JSON.stringify({ time: new Date().toISOString(), level, msg, ...base, ...fields }, replacer);
      write(`${redactSecrets(line)}\n`);
    };
    return {
      debug: (msg, fields) => emit("debug", msg, fields),
      info: (msg, fields) => emit("info", msg, fields),
      warn: (msg, fields) => emit("warn", msg, fields),
      error: (msg, fields) => emit("error", msg, fields),
      child: (fields) => make({ ...base, ...fields }),
    };
  };
  return make({});
}

/** Errors as their name, message and cause chain (no stack: it says nothing to a customer reading logs). */
function replacer(key: string, value: unknown): unknown {
  if (SECRET_FIELD.test(key)) return "[redacted]";
  if (value instanceof Error) return describeError(value);
  return value;
}

function describeError(error: Error, depth = 0): Record<string, unknown> {
  const code = (error as { code?: unknown }).code;
  const cause = error.cause;
  return {
    name: error.name,
    message: error.message,
    ...(typeof code === "string" || typeof code === "number" ? { code } : {}),
    ...(cause instanceof Error && depth < 3 ? { cause: describeError(cause, depth + 1) } : {}),
  };
}
