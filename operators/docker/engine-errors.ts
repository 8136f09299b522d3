/** The HTTP status of a failed engine call (dockerode puts it on the error), if it had one. */
export function engineStatus(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === "number" ? status : undefined;
}

export const isNotFound = (error: unknown) => engineStatus(error) === 404;

/** Runs an engine call whose 404 means "already gone": resolves false then, true otherwise. */
export async function unlessGone(call: () => Promise<unknown>): Promise<boolean> {
  try {
    await call();
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}
