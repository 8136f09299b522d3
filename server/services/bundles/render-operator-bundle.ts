import type { TOperatorBundle } from "@/prisma-free-schema";
import type { BundleSettings } from "./bundle-settings";
import { renderComposeBundle } from "./render-compose-bundle";
import { renderKubernetesBundle } from "./render-kubernetes-bundle";

// RFC 9512 registers application/yaml; the Compose env file is plain KEY=value lines.
const YAML = "application/yaml";
const ENV_FILE = "text/plain";

/** The bundle for the host's kind, as the host page offers it: each file says whether it holds the key. */
export function renderOperatorBundle(settings: BundleSettings): TOperatorBundle {
  if (settings.host.kind === "kubernetes") {
    const manifest = renderKubernetesBundle(settings);
    return {
      fingerprint: settings.keyFingerprint,
      platformUrl: settings.platformUrl,
      // One manifest, and its Secret holds the key.
      files: [{ filename: manifest.filename, content: manifest.content, mediaType: YAML, holdsKey: true }],
      commands: manifest.commands,
    };
  }
  const compose = renderComposeBundle(settings);
  return {
    fingerprint: settings.keyFingerprint,
    platformUrl: settings.platformUrl,
    files: [
      { filename: compose.filename, content: compose.content, mediaType: YAML, holdsKey: false },
      { filename: compose.envFile.filename, content: compose.envFile.content, mediaType: ENV_FILE, holdsKey: true },
    ],
    commands: compose.commands,
  };
}
