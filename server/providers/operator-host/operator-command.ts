import type { z } from "zod";
import { hostUserId, ZSandboxCreateFailure } from "@/prisma-free-schema";
import { ChannelClosedError, CommandFailedError, CommandTimeoutError, NotConnectedError } from "../../channel/command-errors";
import type { PlatformChannel } from "../../channel/platform-channel";
import { AppError } from "../../errors";

/**
 * One command to a Docker host's operator, its reply checked against the contract's schema: a
 * reply that does not parse is an error (an operator of another version, or not ours), never
 * trusted. Failures come back as AppErrors whose message a person can act on.
 */
export async function operatorCommand<S extends z.ZodType>(
  channel: PlatformChannel,
  hostId: string,
  type: string,
  payload: unknown,
  reply: S,
  timeoutMs: number,
  /** What was asked, for the person: "start the sandbox". */
  what: string = type,
): Promise<z.infer<S>> {
  let answer: unknown;
  try {
    answer = await channel.send(hostUserId(hostId), type, payload, { timeoutMs });
  } catch (error) {
    if (error instanceof CommandTimeoutError) {
      throw new AppError("UNAVAILABLE", `The host's operator did not answer within ${Math.round(timeoutMs / 1000)} s when asked to ${what}; it may be offline: check that it is running and connected.`, { cause: error });
    }
    if (error instanceof NotConnectedError) {
      throw new AppError("UNAVAILABLE", `The host is offline: its operator is not connected to the platform, so it could not ${what}. Bring the operator back online and try again.`, { cause: error });
    }
    if (error instanceof ChannelClosedError) {
      throw new AppError("UNAVAILABLE", `The platform was restarting while asking the host's operator to ${what}; try again.`, { cause: error });
    }
    if (error instanceof CommandFailedError) {
      // A create failure the operator put in words (an image it cannot pull, an engine's refusal) is the person's reason as it is.
      const worded = ZSandboxCreateFailure.safeParse(error.remoteCode).success;
      throw new AppError("UNAVAILABLE", worded ? error.remoteMessage : `The host's operator could not ${what}: ${error.remoteMessage}`, { cause: error, reason: error.remoteCode });
    }
    throw error;
  }
  const parsed = reply.safeParse(answer);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` at ${issue.path.join(".")}` : "";
    throw new AppError(
      "UNAVAILABLE",
      `The host's operator answered ${type} with a reply this platform does not accept (${issue?.message ?? "invalid"}${where}); is the operator the version its bundle names?`,
    );
  }
  return parsed.data;
}
