import type { TAuditData } from "@/prisma-free-schema";

/** `key=value` pairs in the order recorded; lists are comma-joined, empty lists show as `[]`. */
export function formatAuditData(data: TAuditData): string[] {
  return Object.entries(data).map(([key, value]) => {
    if (Array.isArray(value)) return `${key}=${value.length > 0 ? value.join(",") : "[]"}`;
    return `${key}=${value === null ? "null" : String(value)}`;
  });
}
