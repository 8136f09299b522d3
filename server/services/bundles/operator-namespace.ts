import { createHash } from "node:crypto";
import type { BundleSettings } from "./bundle-settings";

const PREFIX = "discoparrot-";
/** A namespace name is an RFC 1123 DNS label. */
const MAX_LENGTH = 63;

/**
 * The namespace the operator and its sandbox pods live in: `discoparrot-<host name>`. Host names
 * may be 63 characters themselves, so a long one is cut and suffixed with a hash of the host id:
 * two long names sharing a prefix must not land in (and overwrite) one namespace of a cluster.
 */
export function operatorNamespace(host: Pick<BundleSettings["host"], "id" | "name">): string {
  const plain = `${PREFIX}${host.name}`;
  if (plain.length <= MAX_LENGTH) return plain;
  const suffix = createHash("sha256").update(host.id).digest("hex").slice(0, 8);
  const head = host.name.slice(0, MAX_LENGTH - PREFIX.length - suffix.length - 1).replace(/-+$/, "");
  return `${PREFIX}${head}-${suffix}`;
}
