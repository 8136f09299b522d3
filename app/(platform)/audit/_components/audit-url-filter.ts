import type { TAuditEventType, TAuditFilter, TAuditTargetKind } from "@/prisma-free-schema";
import { AUDIT_EVENT_TYPES, AUDIT_TARGET_KINDS } from "@/prisma-free-schema/vocabulary";

/** The Audit page's filters as they sit in its URL (`?type=…&actor=…&targetKind=…&target=…&from=…&to=…`). */
export interface AuditUrlFilter {
  type?: TAuditEventType;
  actor?: string;
  targetKind?: TAuditTargetKind;
  target?: string;
  /** Calendar days in the reader's own time zone, YYYY-MM-DD, both inclusive. */
  from?: string;
  to?: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const ID = /^[\x21-\x7e]{1,64}$/;

function pick<T extends string>(value: string | null, allowed: readonly T[]): T | undefined {
  return allowed.find((candidate) => candidate === value);
}

/** What a hand-edited or stale URL holds that makes no sense is dropped rather than sent. */
export function filterFromParams(params: URLSearchParams): AuditUrlFilter {
  const text = (name: string, pattern: RegExp) => {
    const value = params.get(name);
    return value !== null && pattern.test(value) ? value : undefined;
  };
  return {
    type: pick(params.get("type"), AUDIT_EVENT_TYPES),
    actor: text("actor", ID),
    targetKind: pick(params.get("targetKind"), AUDIT_TARGET_KINDS),
    target: text("target", ID),
    from: text("from", DAY),
    to: text("to", DAY),
  };
}

export function paramsFromFilter(filter: AuditUrlFilter): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) if (value) params.set(key, value);
  return params;
}

/** Local midnight of a YYYY-MM-DD day, `days` later, as an instant. */
function localMidnight(day: string, days = 0): string | undefined {
  const [year, month, date] = day.split("-").map(Number);
  const at = new Date(year!, month! - 1, date! + days);
  return Number.isNaN(at.getTime()) ? undefined : at.toISOString();
}

/** The server's filter: whole local days become instants, the last day included. */
export function serverFilter(filter: AuditUrlFilter): TAuditFilter {
  return {
    eventType: filter.type,
    actorId: filter.actor,
    targetKind: filter.targetKind,
    targetId: filter.target,
    since: filter.from ? localMidnight(filter.from) : undefined,
    until: filter.to ? localMidnight(filter.to, 1) : undefined,
  };
}

/** A range whose start is after its end is not sent: the page says so instead. */
export function rangeProblem(filter: AuditUrlFilter): string | undefined {
  if (filter.from && filter.to && filter.from > filter.to) return "The “From” day is after the “To” day.";
  return undefined;
}
