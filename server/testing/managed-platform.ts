import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startPlatformHarness } from "../channel/testing/platform-harness";
import { LocalProcessProvider } from "../providers/managed/local-process-provider";
import type { SandboxDeps } from "../services/sandboxes/sandbox-deps";
import { sandboxStore } from "../store/sandbox-store";

/**
 * The platform harness with managed compute's real backend (sidecars in their boundary, under a
 * folder of their own): what the run and sandbox tests drive. `stop` removes every sandbox still
 * live (their sidecars outlive the platform by design), then the platform and the folder.
 */
export async function startManagedPlatform(folderPrefix: string) {
  const platform = await startPlatformHarness();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), folderPrefix));
  const provider = new LocalProcessProvider(root);
  const deps: SandboxDeps = { store: platform.store, channel: platform.channel.platform, providers: { managed: provider }, readyTimeoutMs: 20_000 };
  return {
    platform,
    root,
    provider,
    deps,
    async stop() {
      for (const { etag: _etag, ...sandbox } of await sandboxStore(platform.store).listLive()) await provider.destroy(sandbox);
      await platform.stop();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}
