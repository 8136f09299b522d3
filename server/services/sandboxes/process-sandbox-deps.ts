import { getChannel } from "../../channel/channel";
import { getEnv } from "../../env";
import { getSandboxProviders } from "../../providers/sandbox-providers";
import type { Store } from "../../store/store";
import type { SandboxDeps } from "./sandbox-deps";

const DEPS_KEY = Symbol.for("discoparrot.sandbox-deps");
type DepsHolder = { [DEPS_KEY]?: SandboxDeps };

/**
 * This process's store, channel and providers, for boot and for routers that launch or drive
 * sandboxes: one object per process (kept on globalThis, as Next.js may load this module in more
 * than one bundle), since what hangs off it (the turn-start reconciler's queue) is per process too.
 */
export async function processSandboxDeps(store: Store): Promise<SandboxDeps> {
  const holder = globalThis as DepsHolder;
  if (holder[DEPS_KEY]) return holder[DEPS_KEY];
  // Kept only once the channel is open: a call before then is refused (UNAVAILABLE), not remembered.
  const channel = await getChannel();
  holder[DEPS_KEY] ??= { store, channel: channel.platform, providers: getSandboxProviders(getEnv().dataDir) };
  return holder[DEPS_KEY];
}
