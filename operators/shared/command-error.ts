/**
 * A handler's refusal with a code the platform can branch on (the sidecar's `busy`,
 * `outside_workspace`, …), rather than the generic `handler_failed`. Its message is meant for
 * people and goes into the reply as it is (secrets redacted).
 */
export class CommandError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "CommandError";
  }
}
