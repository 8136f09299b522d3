/**
 * One redaction rule for logs, audit rows and error messages: keys that name a secret lose their
 * value, and strings that carry one of our bearer formats (`dpt_…` API tokens, `opk_…` install keys, `dpi_…` invite links)
 * or a JWT lose the secret part. Fingerprints and ids are kept on purpose: they let a
 * person match an audit row to a key without the key.
 */
const SECRET_KEY = /(secret|password|passwd|token|authorization|cookie|credential|apikey|api_key|installkey|install_key|privatekey|private_key|accesskey|access_key|^key$|connectionstring)/i;
const SAFE_KEY = /(fingerprint|tokenid|token_id|preview|keyid|key_id|scopes?|expiresat|tokenname|token_name)$/i;

export const REDACTED = "[redacted]";

/** Secret-carrying text and how each is cut: the part that identifies the kind of secret stays, the secret goes. */
const SECRET_VALUE: [RegExp, (match: string, ...groups: string[]) => string][] = [
  // Our bearer formats: API tokens, install keys and invite links.
  [/\b(dpt|opk|dpi)_[A-Za-z0-9_-]{8,}/g, (_match, prefix) => `${prefix}_${REDACTED}`],
  // JWTs (hub tokens, session tokens, Entra tokens).
  [/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, () => REDACTED],
  // Connection-string keys.
  [/\b(AccountKey|AccessKey|SharedAccessKey)=[^;\s]+/gi, (_match, key) => `${key}=${REDACTED}`],
  // `Authorization: Bearer …` and the like, quoted in free text.
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/-]{8,}=*/g, (_match, scheme) => `${scheme} ${REDACTED}`],
  // Query strings and key=value text: ?access_token=…, password=…, client_secret=…
  [
    /\b(access_token|id_token|refresh_token|client_secret|password|passwd|pwd|secret|api_key|apikey|token|sig|signature)=[^&\s;,"']+/gi,
    (_match, key) => `${key}=${REDACTED}`,
  ],
  // "password": "…" inside JSON that ended up as text.
  [
    /"(access_token|id_token|refresh_token|client_secret|password|passwd|secret|api_key|apikey|token|authorization)"\s*:\s*"(?:[^"\\]|\\.)*"/gi,
    (_match, key) => `"${key}":"${REDACTED}"`,
  ],
  // password: hunter2 in prose.
  [/\b(password|passwd|pwd)\s*:\s*[^\s,;"']+/gi, (_match, key) => `${key}: ${REDACTED}`],
];

export function redactString(value: string): string {
  let out = value;
  for (const [pattern, replace] of SECRET_VALUE) out = out.replace(pattern, replace);
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
