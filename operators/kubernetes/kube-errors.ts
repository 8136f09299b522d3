import { ApiException } from "@kubernetes/client-node";

/**
 * The API server's answers as the operator needs them: its HTTP status (client-node 1.x throws
 * ApiException with `code`), and its own words (the metav1.Status `message` in the body) for a
 * person reading why a launch failed.
 */
export function apiStatus(error: unknown): number | undefined {
  if (error instanceof ApiException) return error.code;
  const code = (error as { code?: unknown; statusCode?: unknown } | undefined)?.code ?? (error as { statusCode?: unknown } | undefined)?.statusCode;
  return typeof code === "number" ? code : undefined;
}

export const isNotFound = (error: unknown) => apiStatus(error) === 404;
export const isAlreadyExists = (error: unknown) => apiStatus(error) === 409;
export const isForbidden = (error: unknown) => apiStatus(error) === 403;

/** The Status message the server gave, or the error's own; never a token (the server's messages name users and resources, not credentials). */
export function apiMessage(error: unknown): string {
  if (error instanceof ApiException) {
    const body = error.body as unknown;
    const text = typeof body === "string" ? body : JSON.stringify(body ?? "");
    try {
      const parsed = JSON.parse(text) as { message?: unknown };
      if (typeof parsed.message === "string") return parsed.message;
    } catch {
      // Not a Status: fall through to the exception's own message.
    }
    return `HTTP ${error.code}`;
  }
  return error instanceof Error ? error.message : String(error);
}
