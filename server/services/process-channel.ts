import { getChannel } from "../channel/channel";
import type { PlatformChannel } from "../channel/platform-channel";

/**
 * This process's channel to hosts and sandboxes, for the routers whose use cases reach them (a
 * use case takes the channel as a dependency, so its tests hand it their own).
 */
export async function processChannel(): Promise<PlatformChannel> {
  return (await getChannel()).platform;
}
