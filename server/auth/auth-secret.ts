import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { getEnv } from "../env";

/**
 * The key that signs session cookies. Configured with AUTH_SECRET in production; in embedded
 * mode one is generated on first start and kept (owner-only) under DATA_DIR, so sessions
 * survive a restart without a setting to invent.
 */
export function getAuthSecret(): string {
  const env = getEnv();
  if (env.auth.secret) return env.auth.secret;
  const file = path.join(env.dataDir, "auth-secret");
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch {
    fs.mkdirSync(env.dataDir, { recursive: true });
    const secret = randomBytes(32).toString("base64url");
    try {
      fs.writeFileSync(file, secret, { mode: 0o600, flag: "wx" });
      return secret;
    } catch {
      // Another start won the race; use what it wrote.
      return fs.readFileSync(file, "utf8").trim();
    }
  }
}
