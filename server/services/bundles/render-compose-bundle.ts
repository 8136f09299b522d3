import { Document } from "yaml";
import type { BundleSettings } from "./bundle-settings";
import { asHashComments, installKeyLifetimeLines, platformAddressLines } from "./bundle-comments";
import { BUNDLE_YAML } from "./bundle-yaml";
import { dockerOperatorEnv, INSTALL_KEY_ENV, operatorSettingsEnv } from "./operator-env";
import { validateBundleSettings } from "./validate-bundle-settings";

/**
 * The Local Docker operator bundle: a Compose file with the non-secret settings and, beside it, an
 * env file that alone holds the install key, so the Compose file can be read, shared and reviewed
 * without exposing the key.
 */
export function renderComposeBundle(input: BundleSettings): {
  filename: string;
  content: string;
  envFile: { filename: string; content: string };
  commands: string[];
} {
  const settings = validateBundleSettings(input, "docker");
  const { host } = settings;
  const filename = `discoparrot-operator-${host.name}.compose.yaml`;
  const envFilename = `discoparrot-operator-${host.name}.env`;

  const compose = {
    // A fixed project name, so `up -d` with a re-downloaded bundle replaces this host's operator
    // wherever the files sit, instead of starting a second one named after the directory.
    name: `discoparrot-${host.name}`,
    services: {
      operator: {
        image: settings.operatorImage,
        restart: "unless-stopped",
        // Compose resolves this relative to the Compose file: the env file must sit beside it.
        env_file: [envFilename],
        // No workload identity here: that is a Kubernetes-only feature.
        // The sandbox network is read when the operator starts: a changed setting needs a new bundle.
        environment: { ...operatorSettingsEnv(settings), ...dockerOperatorEnv(settings) },
        volumes: ["/var/run/docker.sock:/var/run/docker.sock"],
        read_only: true,
        security_opt: ["no-new-privileges:true"],
        cap_drop: ["ALL"],
        tmpfs: ["/tmp"],
        // No `ports` and the default bridge network: the operator only dials out.
      },
    },
  };
  const document = new Document(compose, BUNDLE_YAML.document);
  document.commentBefore = [
    ` Disco Parrot operator for the Local Docker host "${host.name}" (${host.id}).`,
    ` The install key is NOT in this file: it is in ${envFilename}, which must sit beside this file.`,
    ...installKeyLifetimeLines(),
    ...platformAddressLines(settings.platformUrl),
    " The operator mounts the Docker socket to launch sandbox containers on this engine; access to the",
    " socket is control of the engine, so it publishes no ports and only dials out.",
    ` Start with: docker compose -f ${filename} up -d`,
  ].join("\n");

  return {
    filename,
    content: document.toString(BUNDLE_YAML.toString),
    envFile: {
      filename: envFilename,
      // Compose env files are KEY=value lines, not YAML; the key's shape (checked above) is one token.
      content: [
        `# Disco Parrot operator install key for the Local Docker host "${host.name}" (${host.id}), fingerprint ${settings.keyFingerprint}.`,
        `# SECRET: treat it like a password. Keep this file beside ${filename}; do not commit it.`,
        ...asHashComments(installKeyLifetimeLines()),
        `${INSTALL_KEY_ENV}=${settings.installKey}`,
        "",
      ].join("\n"),
    },
    commands: [`docker compose -f ${filename} up -d`],
  };
}
