import type Docker from "dockerode";
import { containerLimitsOf, DOCKER_LABELS, type TSandboxSpec } from "@/prisma-free-schema";

/** Where things are inside a sandbox container (the image makes these directories, owned by uid 1000). */
export const SANDBOX_PATHS = {
  workspace: "/workspace",
  /** Written by the operator: `access-url`, then `sidecar.env` (the entry script waits for it). */
  runDir: "/run/discoparrot",
  eventLog: "/var/lib/discoparrot/events.jsonl",
} as const;
export const SANDBOX_USER = { uid: 1000, gid: 1000 } as const;

export const imageRef = (spec: Pick<TSandboxSpec, "image" | "tag">) => `${spec.image}:${spec.tag}`;

/**
 * How every sandbox container is made: the image's own user (1000), no capabilities, no
 * privilege gain, the resource class's CPU and memory, no published ports (the sidecar dials out;
 * nothing dials in), the operator's network, and the workspace volume at /workspace.
 *
 * `/run/discoparrot` is the image's directory (owned by 1000), not a tmpfs: Podman 4.3 refuses the
 * `uid=` tmpfs option ("unknown mount option"), and the files in it are small and rewritten.
 */
export function sandboxContainerConfig(options: {
  name: string;
  spec: TSandboxSpec;
  labels: Record<string, string>;
  network: string;
  workspaceVolume: string;
}): Docker.ContainerCreateOptions {
  const { nanoCpus, memoryBytes } = containerLimitsOf(options.spec.resourceClass);
  return {
    name: options.name,
    Image: imageRef(options.spec),
    User: `${SANDBOX_USER.uid}:${SANDBOX_USER.gid}`,
    Labels: {
      ...options.labels,
      [DOCKER_LABELS.definitionKey]: options.spec.definitionKey,
      [DOCKER_LABELS.workspaceVolume]: options.workspaceVolume,
    },
    Tty: false,
    OpenStdin: false,
    HostConfig: {
      CapDrop: ["ALL"],
      SecurityOpt: ["no-new-privileges"],
      NanoCpus: nanoCpus,
      Memory: memoryBytes,
      PortBindings: {},
      PublishAllPorts: false,
      NetworkMode: options.network,
      Mounts: [{ Type: "volume", Source: options.workspaceVolume, Target: SANDBOX_PATHS.workspace, ReadOnly: false }],
      RestartPolicy: { Name: "no" },
    },
  };
}
