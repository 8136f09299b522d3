import { TRPCClientError } from "@trpc/client";
import type { AppRouter } from "@/server/trpc/root";

type ClientError = TRPCClientError<AppRouter>;

function asClientError(error: unknown): ClientError | undefined {
  return error instanceof TRPCClientError ? (error as ClientError) : undefined;
}

/** The sentence to show a person; the server already wrote it for people. */
export function errorMessage(error: unknown): string {
  if (!error) return "";
  if (error instanceof Error && error.message) return error.message;
  return "Something went wrong. Try again.";
}

export function errorCode(error: unknown): string | undefined {
  return asClientError(error)?.data?.code;
}

/**
 * The message that belongs beside one input: zod's issue for that field, or an application
 * error the server pinned to it (e.g. "You cannot grant scopes you do not hold").
 */
export function fieldError(error: unknown, field: string): string | undefined {
  const data = asClientError(error)?.data;
  if (!data) return undefined;
  const fromZod = data.fieldErrors?.[field]?.[0];
  if (fromZod) return fromZod;
  return data.field === field ? errorMessage(error) : undefined;
}

/** What to show under the form: nothing when every problem is already shown beside its field. */
export function formMessage(error: unknown, fields: readonly string[]): string | undefined {
  if (!error) return undefined;
  const data = asClientError(error)?.data;
  if (data?.field && fields.includes(data.field)) return undefined;
  const zodFields = Object.keys(data?.fieldErrors ?? {});
  if (zodFields.length > 0 && zodFields.every((field) => fields.includes(field))) return undefined;
  return errorMessage(error);
}

/**
 * A CONFLICT has two causes: a unique key is taken (the server names the field, e.g. "name"),
 * or the record changed since it was read (an etag clash, no field). Only the second is fixed
 * by reloading.
 */
export function isNameTaken(error: unknown): boolean {
  const data = asClientError(error)?.data;
  return data?.code === "CONFLICT" && data.field === "name";
}

export function isStaleConflict(error: unknown): boolean {
  const data = asClientError(error)?.data;
  return data?.code === "CONFLICT" && !data.field;
}
