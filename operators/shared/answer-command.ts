import { COMMAND_ERROR } from "@/prisma-free-schema";
import { type ChannelMessage, type TChannelError, type TEnvelope, toEnvelopes } from "@/prisma-free-schema/channel-envelope";
import { CommandError } from "./command-error";
import { redactSecrets } from "./redact-secrets";

/**
 * Runs one command through its handler and turns the outcome into the reply's envelopes: the
 * handler's result, or an error the platform can branch on. Always a reply, never a throw: a
 * command left unanswered only shows up on the platform as a timeout, with no reason.
 */
export type CommandHandler = (payload: unknown, context: CommandContext) => Promise<unknown>;
export type CommandHandlers = Record<string, CommandHandler>;

export interface CommandContext {
  correlationId: string;
  /** Aborted when the handler runs out of time or the operator stops. */
  signal: AbortSignal;
}

/**
 * The error codes an operator replies with. They belong with the wire contract; they live here
 * until `prisma-free-schema/channel-protocol.ts` takes them.
 */

/** ZChannelError's limit on a message. */
const MAX_ERROR_MESSAGE = 2000;

export async function answerCommand(
  command: ChannelMessage,
  handlers: CommandHandlers,
  options: { timeoutMs: number; signal: AbortSignal },
): Promise<TEnvelope[]> {
  const reply = (outcome: { payload: unknown } | { error: TChannelError }): TEnvelope[] =>
    // The reply names the address the command gave: where several platform processes share the hub, it says which one waits.
    toEnvelopes({ kind: "reply", type: command.type, correlationId: command.correlationId, replyTo: command.replyTo, ...outcome });

  const handler = Object.hasOwn(handlers, command.type) ? handlers[command.type] : undefined;
  if (!handler) return reply({ error: { code: COMMAND_ERROR.unknownCommand, message: `This operator does not handle ${command.type}.` } });

  const outcome = await runWithDeadline(handler, command, options);
  try {
    return reply(outcome);
  } catch (error) {
    // toEnvelopes refuses a payload over the message ceiling: say so instead of going silent.
    return reply({ error: { code: COMMAND_ERROR.handlerFailed, message: safeMessage(error) } });
  }
}

async function runWithDeadline(
  handler: CommandHandler,
  command: ChannelMessage,
  { timeoutMs, signal }: { timeoutMs: number; signal: AbortSignal },
): Promise<{ payload: unknown } | { error: TChannelError }> {
  // One controller for the handler, aborted by the deadline or by `signal`, whichever comes first
  // (what AbortSignal.any would give, without its cost on every command).
  const handlerAbort = new AbortController();
  const onStop = () => handlerAbort.abort(signal.reason);
  if (signal.aborted) handlerAbort.abort(signal.reason);
  else signal.addEventListener("abort", onStop, { once: true });
  let timer: NodeJS.Timeout | undefined;
  // A handler that ignores its signal still loses the race; its late result is dropped.
  const timedOut = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => {
      handlerAbort.abort(new Error(`${command.type} ran over ${timeoutMs} ms`));
      resolve("timeout");
    }, timeoutMs);
  });
  try {
    const result = await Promise.race([handler(command.payload, { correlationId: command.correlationId, signal: handlerAbort.signal }).then((payload) => ({ payload })), timedOut]);
    if (result === "timeout") return { error: { code: COMMAND_ERROR.timeout, message: `${command.type} did not finish within ${Math.round(timeoutMs / 1000)} s.` } };
    return result;
  } catch (error) {
    const code = error instanceof CommandError ? error.code : COMMAND_ERROR.handlerFailed;
    return { error: { code, message: safeMessage(error) } };
  } finally {
    clearTimeout(timer);
    signal.removeEventListener("abort", onStop);
  }
}

/** The handler's own message, minus anything secret-shaped, within the envelope's limit. */
function safeMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return redactSecrets(message || "The handler failed without a message.").slice(0, MAX_ERROR_MESSAGE);
}
