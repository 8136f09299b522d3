import { EnvError, getEnv } from "./env";
import { log } from "./log";
import { type Channel, EVENT_HANDLER_PATH, startChannel } from "./channel/channel";
import { processSandboxDeps } from "./services/sandboxes/process-sandbox-deps";
import { turnStarts } from "./services/runs/turn-start-reconciler";
import { reconnectSandboxes } from "./services/sandboxes/reconnect-sandboxes";
import { installGracefulStop } from "./graceful-stop";
import { platformJobs } from "./scheduler/platform-jobs";
import { startProcessSchedule } from "./scheduler/process-schedule";
import { getStore } from "./store/store";
import { installPeerAddress } from "./auth/client-address";

export async function bootPlatform(): Promise<void> {
  let env;
  try {
    env = getEnv();
  } catch (error) {
    if (error instanceof EnvError) {
      // The one line the issue asks for: which setting, what is wrong, never a secret's value.
      process.stderr.write(`disco-parrot: configuration error: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  // Sign-in limits per address need the real peer address on every request (issue 10).
  installPeerAddress();
  try {
    await getStore();
  } catch (error) {
    log.error("platform.store_unavailable", { mode: env.store.mode, error });
    process.stderr.write(`disco-parrot: cannot open the store: ${(error as Error).message}\n`);
    process.exit(1);
  }
  let channel: Channel;
  try {
    // The embedded hub posts its events to this very process, over loopback.
    channel = await startChannel(env.channel, { eventHandlerUrl: `http://127.0.0.1:${env.port}${EVENT_HANDLER_PATH}` });
  } catch (error) {
    log.error("platform.channel_unavailable", { mode: env.channel.mode, error });
    process.stderr.write(`disco-parrot: cannot open the messaging channel: ${(error as Error).message}\n`);
    process.exit(1);
  }
  const store = await getStore();
  const sandboxDeps = await processSandboxDeps(store);
  installGracefulStop(startProcessSchedule(store, platformJobs(sandboxDeps)), turnStarts(sandboxDeps));
  // In the background: the platform serves while sandboxes find their way back.
  void reconnectSandboxes(sandboxDeps).catch((error: unknown) => log.warn("sandbox.reconnect_pass_failed", { error }));
  log.info("platform.started", {
    url: env.publicUrl ?? `http://localhost:${env.port}`,
    store: env.store.mode,
    channel: env.channel.mode,
    signIn: [env.auth.entra ? "entra" : null, env.auth.localSignIn ? "local" : null].filter(Boolean).join("+"),
  });
}
