import path from "node:path";
import { getEnv } from "../env";
import { keptSecret } from "../kept-secret";

/**
 * The key that signs session cookies. Configured with AUTH_SECRET in production; in embedded
 * mode one is generated on first start and kept (owner-only) under DATA_DIR, so sessions
 * survive a restart without a setting to invent.
 */
export function getAuthSecret(): string {
  const env = getEnv();
  return env.auth.secret ?? keptSecret(path.join(env.dataDir, "auth-secret"));
}
