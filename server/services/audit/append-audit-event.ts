import { newId, type TAuditActor, type TAuditData, type TAuditEvent, type TAuditEventType, type TAuditTarget, ZAuditData } from "@/prisma-free-schema";
import { AppError } from "../../errors";
import { log } from "../../log";
import { redact, redactString } from "../../redact";
import { auditStore } from "../../store/audit-store";
import type { Store } from "../../store/store";

export interface AuditEventInput {
  workspaceId: string;
  eventType: TAuditEventType;
  actor: TAuditActor;
  target: TAuditTarget;
  data?: TAuditData;
}

/** Appends one event, redacted (see `redactAuditFields`). */
export async function appendAuditEvent(store: Store, input: AuditEventInput): Promise<TAuditEvent> {
  const event: TAuditEvent = {
    id: newId("aud"),
    type: "auditEvent",
    workspaceId: input.workspaceId,
    eventType: input.eventType,
    at: new Date().toISOString(),
    ...redactAuditFields({ actor: input.actor, target: input.target, data: input.data ?? {} }),
  };
  return auditStore(store).append(event);
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

/**
 * A security-relevant change and its audit row stand or fall together. The change is made
 * first; if its row cannot be written after a few tries, `undo` reverts the change and the
 * caller gets an error, so nothing happens that the trail does not show.
 */
export async function auditOrUndo(store: Store, input: AuditEventInput, undo: () => Promise<unknown>): Promise<void> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      await appendAuditEvent(store, input);
      return;
    } catch (error) {
      lastError = error;
    }
  }
  log.error("audit.append_failed", { eventType: input.eventType, workspaceId: input.workspaceId, error: lastError });
  await undo();
  throw new AppError("UNAVAILABLE", "The change could not be recorded in the audit trail, so it was not made. Try again.", { cause: lastError });
}
