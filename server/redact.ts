/**
 * One redaction rule for logs, audit rows and error messages: keys that name a secret lose their
 * value, and strings that carry one of our bearer formats (`dpt_…` API tokens, `opk_…` install keys, `dpi_…` invite links)
 * or a JWT lose the secret part. Fingerprints and ids are kept on purpose: they let a
 * person match an audit row to a key without the key.
 */
const SECRET_KEY = /(secret|password|passwd|token|authorization|cookie|credential|apikey|api_key|installkey|install_key|privatekey|private_key|accesskey|access_key|^key$|connectionstring)/i;
const SAFE_KEY = /(fingerprint|tokenid|token_id|preview|keyid|key_id|scopes?|expiresat|tokenname|token_name)$/i;

const SECRET_VALUE = [
  /\b(dpt|opk|dpi)_[A-Za-z0-9_-]{8,}/g, // API tokens, install keys, invite links
  /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, // JWTs
  /\b(AccountKey|AccessKey|SharedAccessKey)=[^;\s]+/gi,
];

export const REDACTED = "[redacted]";

export function redactString(value: string): string {
  let out = value;
  for (const pattern of SECRET_VALUE) {
    out = out.replace(pattern, (match) => {
      const underscore = match.indexOf("_");
      const equals = match.indexOf("=");
      if (equals > 0) return `${match.slice(0, equals + 1)}${REDACTED}`;
      if (underscore > 0 && underscore < 4) return `${match.slice(0, underscore + 1)}${REDACTED}`;
      return REDACTED;
    });
  }
  return out;
}

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key) && !SAFE_KEY.test(key);
}

/** A deep copy with secrets removed; depth-limited so a cyclic or huge object cannot stall a log line. */
export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return redactString(value);
  if (value === null || typeof value !== "object") return value;
  if (depth > 6) return "[…]";
  if (value instanceof Error) {
    return { name: value.name, message: redactString(value.message), stack: value.stack ? redactString(value.stack) : undefined };
  }
  if (Array.isArray(value)) return value.slice(0, 100).map((item) => redact(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = isSecretKey(key) ? REDACTED : redact(item, depth + 1);
  }
  return out;
}
