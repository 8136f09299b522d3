import { newId, type TAuditActor, type TAuditCheck, type TAuditData, type TAuditEvent, type TAuditEventType, type TAuditTarget, ZAuditData } from "@/prisma-free-schema";
import { AppError } from "../../errors";
import { log } from "../../log";
import { redact, redactString } from "../../redact";
import { auditedChangeLanded, auditStore } from "../../store/audit-store";
import type { Store } from "../../store/store";

export interface AuditEventInput {
  workspaceId: string;
  eventType: TAuditEventType;
  actor: TAuditActor;
  target: TAuditTarget;
  data?: TAuditData;
}

/**
 * Appends one event, redacted (see `redactAuditFields`), for what is recorded after the fact (a
 * person joined, the idle policy ended a run). A change the trail must never lack uses
 * `auditedChange` instead.
 */
export async function appendAuditEvent(store: Store, input: AuditEventInput): Promise<TAuditEvent> {
  return auditStore(store).append(auditRow(input));
}

function auditRow(input: AuditEventInput): TAuditEvent {
  return {
    id: newId("aud"),
    type: "auditEvent",
    workspaceId: input.workspaceId,
    eventType: input.eventType,
    at: new Date().toISOString(),
    ...redactAuditFields({ actor: input.actor, target: input.target, data: input.data ?? {} }),
  };
}

/**
 * Every field of a row a person can see passes through the same redaction as the logs: the
 * data, and also the actor's and target's labels and ids, which may be names people chose (a
 * token named after its own value, a profile called `password=…`).
 */
export function redactAuditFields(row: Pick<TAuditEvent, "actor" | "target" | "data">): Pick<TAuditEvent, "actor" | "target" | "data"> {
  const party = <P extends { id: string; label: string }>(value: P): P => ({ ...value, id: redactString(value.id).slice(0, 64), label: redactString(value.label).slice(0, 254) });
  return { actor: party(row.actor), target: party(row.target), data: ZAuditData.parse(redact(row.data)) };
}

/** How long a change may take between its row and its confirmation before the settling pass judges it by the store. */
export const AUDIT_PENDING_MS = 60_000;

/**
 * A security-relevant change and its audit row stand or fall together, even if the process dies
 * at any instant (kill -9 included):
 *  1. the row is written first, pending, naming how the store will show the change (`check`);
 *     if it cannot be written, nothing is changed and the caller gets an error;
 *  2. the change is made; if it fails, the row is removed and the error goes on;
 *  3. the row is confirmed (no longer pending), and only then shown in the trail.
 * A process that dies after 1 leaves a pending row: once AUDIT_PENDING_MS has passed, the
 * schedule's settling pass (settlePendingAudits) reads the store, keeps the row if the change
 * landed and removes it if not. So no change lacks its row and no row names a change that never
 * happened. `change` must make exactly the change `check` describes.
 */
export async function auditedChange<T>(store: Store, input: AuditEventInput, check: TAuditCheck, change: () => Promise<T>): Promise<T> {
  const row = { ...auditRow(input), pending: { check, until: new Date(Date.now() + AUDIT_PENDING_MS).toISOString() } };
  const audits = auditStore(store);
  try {
    await audits.append(row);
  } catch (error) {
    log.error("audit.append_failed", { eventType: input.eventType, workspaceId: input.workspaceId, error });
    throw new AppError("UNAVAILABLE", "The change could not be recorded in the audit trail, so it was not made. Try again.", { cause: error });
  }
  let result: T;
  try {
    result = await change();
  } catch (error) {
    // Refused, or failed after the store may have taken it (a timeout): the store says which.
    const landed = await auditedChangeLanded(store, check).catch(() => undefined);
    if (landed === true) await audits.confirm(row).catch(() => undefined);
    else if (landed === false) await audits.discard(row).catch((discardError: unknown) => log.warn("audit.discard_failed", { id: row.id, error: discardError }));
    // Unknown (the store does not answer): the row stays pending, and the settling pass decides.
    throw error;
  }
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      await audits.confirm(row);
      return result;
    } catch (error) {
      if (attempt === 2) log.warn("audit.confirm_deferred", { id: row.id, eventType: row.eventType, error });
    }
  }
  // Made and recorded; the settling pass confirms the row once the store answers again.
  return result;
}

/**
 * Settles the rows whose process died between writing them and confirming them (see
 * auditedChange): kept if their change is in the store, removed if not. Run by the schedule.
 */
export async function settlePendingAudits(store: Store, now = new Date()): Promise<{ confirmed: number; discarded: number }> {
  const audits = auditStore(store);
  let confirmed = 0;
  let discarded = 0;
  for (const { etag, ...row } of await audits.stalePending(now.toISOString())) {
    if (!row.pending) continue;
    if (await auditedChangeLanded(store, row.pending.check)) {
      await audits.confirm(row);
      confirmed += 1;
    } else if (await audits.discardIfUnchanged(row, etag)) {
      discarded += 1;
    }
  }
  if (confirmed + discarded > 0) log.info("audit.pending_settled", { confirmed, discarded });
  return { confirmed, discarded };
}
