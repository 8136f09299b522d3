import { TRPCClientError } from "./platform-client";

/**
 * What `parrot` exits with, for scripts (the README lists them):
 *   0 success (for `runs watch`/`runs start`: the turn succeeded)
 *   1 failure: the turn failed or was cancelled, the launch failed, the platform could not be reached or erred
 *   2 usage: bad arguments, not logged in
 *   3 refused: the platform said no (the resolver refuses the launch, the token lacks a scope, a limit)
 *   4 not found: no such host, profile or run in the token's workspace
 */
export const EXIT = { ok: 0, failure: 1, usage: 2, refused: 3, notFound: 4 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An error meant for the person: one sentence, printed alone on stderr, then this exit code. */
export class CliError extends Error {
  constructor(
    readonly exitCode: ExitCode,
    message: string,
  ) {
    super(message);
    this.name = "CliError";
  }
}

const REFUSALS = new Set(["UNAUTHORIZED", "FORBIDDEN", "PRECONDITION_FAILED", "TOO_MANY_REQUESTS", "CONFLICT"]);

interface ErrorData {
  code?: string;
  fieldErrors?: Record<string, string[]> | null;
}

/** Any error as one sentence and an exit code; never a stack trace, never the token (the platform's messages never carry it). */
export function describeError(error: unknown): CliError {
  if (error instanceof CliError) return error;
  if (error instanceof TRPCClientError) {
    const data = (error.data ?? {}) as ErrorData;
    const code = data.code ?? "";
    const field = data.fieldErrors ? Object.entries(data.fieldErrors)[0] : undefined;
    const message = field ? `${field[0]}: ${field[1][0] ?? error.message}` : error.message;
    if (code === "NOT_FOUND") return new CliError(EXIT.notFound, message);
    if (code === "UNAUTHORIZED") return new CliError(EXIT.refused, `The platform refused the token: ${message}`);
    if (REFUSALS.has(code)) return new CliError(EXIT.refused, message);
    if (code === "BAD_REQUEST") return new CliError(EXIT.usage, message);
    if (!code) return new CliError(EXIT.failure, `Could not reach the platform: ${networkReason(error)}`);
    return new CliError(EXIT.failure, message);
  }
  return new CliError(EXIT.failure, networkReason(error));
}

function networkReason(error: unknown): string {
  // fetch's "fetch failed" hides the reason a level or two down.
  let cause = error as { cause?: unknown; code?: string } | undefined;
  for (let depth = 0; depth < 4 && cause && !cause.code; depth += 1) cause = cause.cause as typeof cause;
  if (cause?.code === "ECONNREFUSED") return "nothing answers at that address (connection refused).";
  if (cause?.code === "ENOTFOUND") return "that host name does not resolve.";
  const message = error instanceof Error ? error.message : String(error);
  return message.endsWith(".") ? message : `${message}.`;
}
