import type { z } from "zod";

/** A failed parse's first message per top-level field, for the fields a form shows; others are ignored. */
export function fieldIssues<F extends string>(error: z.ZodError, fields: readonly F[]): Partial<Record<F, string>> {
  const errors: Partial<Record<F, string>> = {};
  for (const issue of error.issues) {
    const field = fields.find((candidate) => candidate === issue.path[0]);
    if (field) errors[field] ??= issue.message;
  }
  return errors;
}
