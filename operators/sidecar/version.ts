/** The sidecar's version, sent in its check-ins (the channel calls it the operator version). */
export const SIDECAR_VERSION = "0.1.0";
