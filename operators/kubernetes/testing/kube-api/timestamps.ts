/** A metav1.Time as the API server writes it: RFC 3339 in UTC, whole seconds. */
export function kubeTimestamp(offsetSeconds = 0): string {
  return new Date(Date.now() + offsetSeconds * 1000).toISOString().replace(/\.\d+Z$/, "Z");
}
