import { getChannel } from "../../channel/channel";
import { getEnv } from "../../env";
import { getSandboxProviders } from "../../providers/sandbox-providers";
import type { Store } from "../../store/store";
import type { SandboxDeps } from "./sandbox-deps";

/** This process's store, channel and providers, for routers that launch or drive sandboxes. */
export async function processSandboxDeps(store: Store): Promise<SandboxDeps> {
  return { store, channel: (await getChannel()).platform, providers: getSandboxProviders(getEnv().dataDir) };
}
