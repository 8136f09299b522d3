import { getChannel } from "@/server/channel/channel";
import { handleChannelEvent } from "@/server/channel/channel-events";
import { log } from "@/server/log";
import { getStore } from "@/server/store/store";
import { configuredBodyLimit, withBodyLimit } from "@/server/web/body-limit";

export const dynamic = "force-dynamic";

/** The hub's CloudEvents: see server/channel/channel-events.ts. */
async function handle(request: Request): Promise<Response> {
  try {
    return await handleChannelEvent(request, await getChannel(), await getStore());
  } catch (error) {
    log.error("channel.event_failed", { type: request.headers.get("ce-type"), error });
    return new Response("The event could not be handled.", { status: 500 });
  }
}

const capped = withBodyLimit(handle, configuredBodyLimit);
export { capped as OPTIONS, capped as POST };
