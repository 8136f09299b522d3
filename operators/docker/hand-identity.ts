import type Docker from "dockerode";
import { SIDECAR_ENV, type TAgentKind } from "@/prisma-free-schema";
import { SANDBOX_PATHS, SANDBOX_USER } from "./container-config";
import { tarOf } from "./tar-archive";

/** The env file's last line: the entry script starts the sidecar only once it has read it (see entry.sh). */
export const ENV_COMPLETE_LINE = "DISCOPARROT_ENV_COMPLETE=1";

/**
 * Tells a started container which sandbox it is: the access URL file first, the sidecar's
 * environment last, since the entry script waits for the env file and starts the sidecar once it
 * is whole. Both are written with `putArchive` (the API's only way to write into a container),
 * owned by the sandbox user, readable only by it: the URL is a credential.
 */
export async function handIdentity(container: Docker.Container, identity: { sandboxId: string; agent: TAgentKind; accessUrl: string }): Promise<void> {
  await writeAccessUrl(container, identity.accessUrl);
  const env = [
    `${SIDECAR_ENV.sandboxId}=${identity.sandboxId}`,
    `${SIDECAR_ENV.accessUrlFile}=${SANDBOX_PATHS.runDir}/access-url`,
    `${SIDECAR_ENV.workspaceDir}=${SANDBOX_PATHS.workspace}`,
    `${SIDECAR_ENV.eventLog}=${SANDBOX_PATHS.eventLog}`,
    `${SIDECAR_ENV.agent}=${identity.agent}`,
    ENV_COMPLETE_LINE,
  ];
  await container.putArchive(tarOf([{ name: "sidecar.env", content: `${env.join("\n")}\n`, mode: 0o600, uid: SANDBOX_USER.uid, gid: SANDBOX_USER.gid }]), { path: SANDBOX_PATHS.runDir });
}

/** Replaces the access URL file; the sidecar reads it at its next (re)connect. */
export async function writeAccessUrl(container: Docker.Container, accessUrl: string): Promise<void> {
  await container.putArchive(tarOf([{ name: "access-url", content: `${accessUrl}\n`, mode: 0o600, uid: SANDBOX_USER.uid, gid: SANDBOX_USER.gid }]), { path: SANDBOX_PATHS.runDir });
}
