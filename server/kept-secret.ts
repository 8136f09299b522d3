import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/**
 * A secret kept in `file` (owner-only): made on first use, the same ever after, so what it signs
 * or opens survives a restart without a setting to invent.
 */
export function keptSecret(file: string, encoding: "base64" | "base64url" = "base64url"): string {
  const kept = readSecret(file);
  if (kept) return kept;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const secret = randomBytes(32).toString(encoding);
  // Written beside it and renamed into place: a crash mid-write leaves no short or empty secret to be used.
  const next = `${file}.${process.pid}.next`;
  fs.writeFileSync(next, secret, { mode: 0o600 });
  try {
    fs.linkSync(next, file);
    return secret;
  } catch {
    // Another start won the race (or a short one is there: replaced); use what is there now if it is whole.
    const other = readSecret(file);
    if (other) return other;
    fs.renameSync(next, file);
    return secret;
  } finally {
    fs.rmSync(next, { force: true });
  }
}

/** The secret in `file` if it is there and whole (at least 32 characters); undefined otherwise. */
function readSecret(file: string): string | undefined {
  try {
    const text = fs.readFileSync(file, "utf8").trim();
    return text.length >= 32 ? text : undefined;
  } catch {
    return undefined;
  }
}
