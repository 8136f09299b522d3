/** Only same-site paths: an absolute or protocol-relative URL here would be an open redirect. */
export function safeCallbackUrl(value: string | string[] | undefined, fallback = "/hosts"): string {
  const url = Array.isArray(value) ? value[0] : value;
  if (!url || !url.startsWith("/") || url.startsWith("//") || url.startsWith("/\\")) return fallback;
  return url;
}
