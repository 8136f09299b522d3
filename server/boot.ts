import { EnvError, getEnv } from "./env";
import { log } from "./log";
import { getStore } from "./store/store";

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
  try {
    await getStore();
  } catch (error) {
    log.error("platform.store_unavailable", { mode: env.store.mode, error });
    process.stderr.write(`disco-parrot: cannot open the store: ${(error as Error).message}\n`);
    process.exit(1);
  }
  log.info("platform.started", {
    url: env.publicUrl ?? `http://localhost:${env.port}`,
    store: env.store.mode,
    signIn: [env.auth.entra ? "entra" : null, env.auth.localSignIn ? "local" : null].filter(Boolean).join("+"),
  });
}
