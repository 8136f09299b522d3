import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/**
 * A secret kept in `file` (owner-only): made on first use, the same ever after, so what it signs
 * or opens survives a restart without a setting to invent.
 */
export function keptSecret(file: string, encoding: "base64" | "base64url" = "base64url"): string {
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const secret = randomBytes(32).toString(encoding);
    try {
      fs.writeFileSync(file, secret, { mode: 0o600, flag: "wx" });
      return secret;
    } catch {
      // Another start won the race; use what it wrote.
      return fs.readFileSync(file, "utf8").trim();
    }
  }
}
