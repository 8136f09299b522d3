import type { z } from "zod";
import { CommandError } from "../../shared/command-error";

/** A command's payload checked against its schema; a bad one is refused as `invalid_input`, naming the field. */
export function parseInput<S extends z.ZodType>(schema: S, payload: unknown, command: string): z.infer<S> {
  const parsed = schema.safeParse(payload);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new CommandError("invalid_input", `${command}: ${issue ? `${issue.path.join(".") || "payload"}: ${issue.message}` : "invalid payload"}`);
}
