import { qualifiedKind, qualifiedResource, type ResourceType } from "./resource-catalog";

/**
 * A failed request as a real API server answers it: a `metav1.Status` with the reason and code that
 * client libraries branch on, and the message phrased as apimachinery's `errors` package phrases it
 * (clients and people grep for these strings).
 */
export class KubeApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }

  toStatus(): Record<string, unknown> {
    return statusObject({ status: "Failure", message: this.message, reason: this.reason, details: this.details, code: this.code });
  }
}

export function statusObject(fields: Record<string, unknown>): Record<string, unknown> {
  return { kind: "Status", apiVersion: "v1", metadata: {}, ...fields };
}

type GroupResource = Pick<ResourceType, "group" | "resource">;

function detailsOf(type: GroupResource, name?: string) {
  return { ...(name === undefined ? {} : { name }), ...(type.group ? { group: type.group } : {}), kind: type.resource };
}

export const apiErrors = {
  notFound: (type: GroupResource, name: string) => new KubeApiError(404, "NotFound", `${qualifiedResource(type)} "${name}" not found`, detailsOf(type, name)),
  alreadyExists: (type: GroupResource, name: string) => new KubeApiError(409, "AlreadyExists", `${qualifiedResource(type)} "${name}" already exists`, detailsOf(type, name)),
  conflict: (type: GroupResource, name: string) =>
    new KubeApiError(409, "Conflict", `Operation cannot be fulfilled on ${qualifiedResource(type)} "${name}": the object has been modified; please apply your changes to the latest version and try again`, detailsOf(type, name)),
  preconditionFailed: (type: GroupResource, name: string, detail: string) =>
    new KubeApiError(409, "Conflict", `Operation cannot be fulfilled on ${qualifiedResource(type)} "${name}": Precondition failed: ${detail}`, detailsOf(type, name)),
  /** `reason` is what follows the colon: an RBAC denial, or an admission plugin's refusal. */
  forbidden: (type: GroupResource, name: string | undefined, reason: string) =>
    new KubeApiError(403, "Forbidden", `${qualifiedResource(type)}${name ? ` "${name}"` : ""} is forbidden: ${reason}`, detailsOf(type, name)),
  invalid: (type: GroupResource & Pick<ResourceType, "kind">, name: string, causes: Array<{ field: string; message: string }>) =>
    new KubeApiError(422, "Invalid", `${qualifiedKind(type)} "${name}" is invalid: ${causes.map((cause) => `${cause.field}: ${cause.message}`).join(", ")}`, {
      ...detailsOf(type, name),
      kind: type.kind,
      causes: causes.map((cause) => ({ reason: "FieldValueInvalid", message: cause.message, field: cause.field })),
    }),
  invalidPatch: (message: string) => new KubeApiError(422, "Invalid", message),
  badRequest: (message: string) => new KubeApiError(400, "BadRequest", message),
  unauthorized: () => new KubeApiError(401, "Unauthorized", "Unauthorized"),
  /** What any unknown path gets; kubectl's discovery treats it as "not served". */
  pathNotFound: () => new KubeApiError(404, "NotFound", "the server could not find the requested resource", {}),
  methodNotAllowed: () => new KubeApiError(405, "MethodNotAllowed", "the server does not allow this method on the requested resource", {}),
  unsupportedMediaType: (accepted: string[]) =>
    new KubeApiError(415, "UnsupportedMediaType", `the body of the request was in an unknown format - accepted media types include: ${accepted.join(", ")}`),
  /** A list or watch from a resourceVersion the server no longer holds history for (after compaction). */
  listExpired: () => new KubeApiError(410, "Expired", "The resourceVersion for the provided list is too old."),
  watchExpired: (requested: number, oldest: number) => new KubeApiError(410, "Expired", `too old resource version: ${requested} (${oldest})`),
};
