/**
 * The operator's one redaction rule, applied to every log line it writes and every error message
 * it sends back to the platform. Operators cannot import the platform's `server/redact.ts`; this
 * covers what an operator can hold: its install key (`opk_…`), the token in a client access URL,
 * and JWTs in general (the access token is one).
 */
const SECRET_PATTERNS: [RegExp, string][] = [
  [/opk_[A-Za-z0-9_-]+/g, "opk_[redacted]"],
  [/([?&](?:access_token|awps_reconnection_token)=)[^&\s"'#]+/gi, "$1[redacted]"],
  [/eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, "[redacted-jwt]"],
];

export function redactSecrets(text: string): string {
  let out = text;
  for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}
