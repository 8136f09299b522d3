import { hostUserId } from "@/prisma-free-schema";
import { log } from "../../log";
import { getChannel } from "../../channel/channel";

/**
 * Ends the connection of a host's operator, e.g. once its key is retired or the host deleted, so
 * "retired at once" holds for an operator already connected too: it must exchange again, and
 * that fails. Best effort: the change that called it has been saved; a hub that cannot be
 * reached now refuses the operator at its next connect anyway (the connect event checks the host).
 */
export async function disconnectOperator(hostId: string, reason: string): Promise<void> {
  try {
    await (await getChannel()).platform.disconnect(hostUserId(hostId), reason);
  } catch (error) {
    log.warn("channel.disconnect_failed", { hostId, reason, error });
  }
}
