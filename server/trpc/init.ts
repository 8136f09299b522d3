import { initTRPC, TRPCError } from "@trpc/server";
import { z } from "zod";
import { AppError, TRPC_CODE_FOR } from "../errors";
import type { Context } from "./context";

/**
 * What a client sees of an error: the tRPC code, a message meant for people, the application
 * code, and zod's field issues for bad input. Never a stack trace; an unexpected failure says
 * only that it happened and the request id to quote.
 */
/** zod's issues by dotted field path (`settings.workloadIdentity.clientId`), so nested fields get their own message. */
function fieldErrorsOf(error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join(".") || "input";
    (out[key] ??= []).push(issue.message);
  }
  return out;
}

const t = initTRPC.context<Context>().create({
  errorFormatter({ shape, error, ctx }) {
    const cause = error.cause;
    const fieldErrors = error.code === "BAD_REQUEST" && cause instanceof z.ZodError ? fieldErrorsOf(cause) : undefined;
    const appError = cause instanceof AppError ? cause : undefined;
    const internal = error.code === "INTERNAL_SERVER_ERROR" && !appError;
    return {
      ...shape,
      message: internal
        ? `Something went wrong on our side. Quote request id ${ctx?.requestId ?? "unknown"} if you report it.`
        : fieldErrors
          ? "Some fields need attention."
          : shape.message,
      data: {
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
        path: shape.data.path,
        appCode: appError?.code ?? null,
        field: appError?.options.field ?? null,
        reason: appError?.options.reason ?? null,
        fieldErrors: fieldErrors ?? null,
        requestId: ctx?.requestId ?? null,
      },
    };
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const middleware = t.middleware;

/** AppErrors become TRPCErrors with the matching code; every call is logged once, with its outcome. */
const observed = t.procedure.use(async ({ ctx, path, type, next }) => {
  const started = performance.now();
  const result = await next();
  const durationMs = Math.round((performance.now() - started) * 10) / 10;
  if (result.ok) {
    ctx.log.info("trpc.call", { path, type, durationMs, actor: ctx.actor?.kind ?? "anonymous" });
    // A subscription's body runs after this middleware returns; its refusals must keep their code too.
    if (isAsyncIterable(result.data)) return { ...result, data: withAppErrorsTranslated(result.data) };
    return result;
  }
  const cause = result.error.cause;
  if (cause instanceof AppError) {
    ctx.log.info("trpc.call", { path, type, durationMs, actor: ctx.actor?.kind ?? "anonymous", code: cause.code });
    throw new TRPCError({ code: TRPC_CODE_FOR[cause.code], message: cause.message, cause });
  }
  const level = result.error.code === "INTERNAL_SERVER_ERROR" ? "error" : "info";
  ctx.log[level]("trpc.call", { path, type, durationMs, actor: ctx.actor?.kind ?? "anonymous", code: result.error.code, error: level === "error" ? result.error.cause ?? result.error : undefined });
  return result;
});

export const publicProcedure = observed;

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === "object" && value !== null && Symbol.asyncIterator in value;
}

/** An AppError thrown while a subscription streams (a run that is not found) becomes its typed TRPCError, not a 500. */
async function* withAppErrorsTranslated(source: AsyncIterable<unknown>): AsyncGenerator<unknown, void, unknown> {
  try {
    yield* source;
  } catch (error) {
    if (error instanceof AppError) throw new TRPCError({ code: TRPC_CODE_FOR[error.code], message: error.message, cause: error });
    throw error;
  }
}
