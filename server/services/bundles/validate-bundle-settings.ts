import { HOST_KIND_LABELS, type THostKind, ZDockerHostSettings, ZHostId, ZHostName, ZWorkspaceId } from "@/prisma-free-schema";
import { AppError } from "../../errors";
import type { BundleSettings } from "./bundle-settings";

// The shape redact.ts recognises, so a key that strays into a log line is always redacted; and a
// single token, because the Compose env file is line-based: a newline in a key would add lines to it.
const INSTALL_KEY = /^opk_[A-Za-z0-9_-]{8,}$/;
// Goes into an annotation and a comment: short, one token, and never the key itself.
const FINGERPRINT = /^[A-Za-z0-9._:-]{4,64}$/;
// An image reference as Docker and Kubernetes spell it: one token, no leading dash (it ends up in
// a file an admin applies, so anything that could read as an option or a second word is refused).
const IMAGE = /^[a-z0-9][A-Za-z0-9._\/:@+-]*$/;

/**
 * The settings, checked before anything is rendered, with the platform URL normalised (no
 * trailing slash). A wrong host kind is the caller's request; everything else is ours (the key,
 * the fingerprint, the URL and the image are minted or configured by the platform), so those are
 * INTERNAL. No message ever includes the install key, only its length.
 */
export function validateBundleSettings(settings: BundleSettings, kind: THostKind): BundleSettings {
  const { host, installKey, keyFingerprint, operatorImage } = settings;
  if (host.kind !== kind) {
    throw new AppError(
      "BAD_REQUEST",
      `A ${HOST_KIND_LABELS[kind]} bundle is only for ${HOST_KIND_LABELS[kind]} hosts; "${host.name}" is a ${HOST_KIND_LABELS[host.kind]} host.`,
      { field: "kind" },
    );
  }
  // Names and ids land in file names, shell commands, labels and a namespace name: the schema's
  // DNS-label rule is what keeps all four safe, so it is re-checked here rather than assumed.
  if (!ZHostName.safeParse(host.name).success) throw internal(`The host name "${host.name}" is not a valid host name.`);
  if (!ZHostId.safeParse(host.id).success) throw internal(`The host id "${host.id}" is not a host_… id.`);
  if (!ZWorkspaceId.safeParse(host.workspaceId).success) throw internal(`The workspace id "${host.workspaceId}" is not a ws_… id.`);
  // Lands in the Compose environment: re-checked like the names, not assumed from the store.
  if (host.docker && !ZDockerHostSettings.shape.network.safeParse(host.docker.network).success) {
    throw internal(`The sandbox network "${host.docker.network}" is not a Docker network name.`);
  }
  if (!INSTALL_KEY.test(installKey)) {
    throw internal(`The install key must be an opk_… key of letters, digits, _ and - (got ${installKey.length} characters that are not one).`);
  }
  if (!FINGERPRINT.test(keyFingerprint) || keyFingerprint.includes("opk_") || keyFingerprint.includes(installKey)) {
    throw internal("The key fingerprint must be a short non-secret value such as sha256:ab12cd34, never the key.");
  }
  if (!IMAGE.test(operatorImage)) throw internal(`The operator image "${operatorImage}" is not an image reference.`);
  return { ...settings, platformUrl: normalisedPlatformUrl(settings.platformUrl) };
}

function normalisedPlatformUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw internal("The platform URL must be an http(s) address such as https://parrot.example.com; it does not parse as a URL.");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw internal(`The platform URL must be an http(s) address such as https://parrot.example.com, not ${url.protocol}.`);
  }
  // The URL goes into a ConfigMap / Compose environment, which are not secret: no credentials in
  // it, and nothing the operator would have to strip before appending its own paths.
  if (url.username || url.password || url.search || url.hash) {
    throw internal("The platform URL must be a plain http(s) address, without credentials, a query or a fragment.");
  }
  return url.href.replace(/\/+$/, "");
}

function internal(message: string): AppError {
  return new AppError("INTERNAL", message);
}
