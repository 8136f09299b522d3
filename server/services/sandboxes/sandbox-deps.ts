import type { PlatformChannel } from "../../channel/platform-channel";
import type { SandboxProviders } from "../../providers/sandbox-providers";
import type { Store } from "../../store/store";

/** What launching and tending sandboxes needs: the store, the channel to sidecars, the providers. */
export interface SandboxDeps {
  store: Store;
  channel: PlatformChannel;
  providers: SandboxProviders;
  /** How long a new sandbox's sidecar has to connect. */
  readyTimeoutMs?: number;
  /** How long a connected sidecar has to answer its first health check. */
  healthTimeoutMs?: number;
}
