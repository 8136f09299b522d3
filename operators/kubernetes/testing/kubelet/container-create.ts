import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { V1Container, V1Pod } from "@kubernetes/client-node";
import type Docker from "dockerode";
import { ContainerConfigError, expandReferences } from "./container-env";
import { IMPLICIT_TOKEN_VOLUME, SERVICE_ACCOUNT_MOUNT_PATH, type VolumeSource } from "./pod-volumes";
import { bytesOf, milliCpuOf } from "./quantity";
import { effectiveSecurity, engineSecurityOptions, engineUser, runAsNonRootViolation } from "./security-context";

const CPU_PERIOD_US = 100_000; // the kubelet's CFS period
const MIN_CPU_SHARES = 2;
/**
 * Where Podman puts a writable tmpfs when the root filesystem is read-only (its --read-only-tmpfs
 * default, which its Docker API cannot turn off). Kubernetes leaves these part of the read-only
 * root, so they are mounted read-only here instead (Podman copies the image's files into them first).
 */
const PODMAN_READ_ONLY_TMPFS = ["/tmp", "/var/tmp", "/run"];

/**
 * The engine's create options for a container (its name and labels are the runtime's), as the kubelet's runtime would
 * make it: command/args over the image's entrypoint/cmd (with `$(VAR)` expanded), the env, the
 * pod's volumes bind-mounted, the effective security context, cpu/memory limits as cgroup limits,
 * and the host's network (see README). Throws ContainerConfigError (CreateContainerConfigError)
 * when the pod asks for something the node must refuse.
 */
export async function containerCreateOptions(options: {
  pod: V1Pod;
  container: V1Container;
  image: { image: string; user: string };
  env: Map<string, string>;
  volumes: Map<string, VolumeSource>;
}): Promise<Docker.ContainerCreateOptions> {
  const { pod, container, env } = options;
  const security = effectiveSecurity(pod, container);
  const violation = runAsNonRootViolation(pod, container, security, options.image.user);
  if (violation) throw new ContainerConfigError(violation);
  const securityOptions = engineSecurityOptions(security);
  if ("error" in securityOptions) throw new ContainerConfigError(securityOptions.error);

  const expand = (text: string) => expandReferences(text, (name) => env.get(name));
  const command = container.command?.map(expand);
  const args = container.args?.map(expand);
  const limits = container.resources?.limits ?? {};
  const cpuRequest = container.resources?.requests?.cpu ?? limits.cpu;
  const memoryLimit = limits.memory ? bytesOf(limits.memory) : undefined;
  const mountTargets = new Set((container.volumeMounts ?? []).map((mount) => mount.mountPath.replace(/\/+$/, "")));
  const readOnlyTmpfs = PODMAN_READ_ONLY_TMPFS.filter((target) => !mountTargets.has(target)).map((target) => [target, "ro"]);

  return {
    Image: options.image.image,
    // The image's entrypoint is replaced by `command`, and then its cmd is dropped too; `args` replaces only the cmd.
    ...(command ? { Entrypoint: command, Cmd: args ?? [] } : args ? { Cmd: args } : {}),
    Env: [...env].map(([name, value]) => `${name}=${value}`),
    WorkingDir: container.workingDir,
    User: engineUser(security, options.image.user),
    Tty: container.tty ?? false,
    OpenStdin: container.stdin ?? false,
    StdinOnce: container.stdinOnce ?? false,
    HostConfig: {
      NetworkMode: "host",
      Binds: await binds(container, options.volumes, expand),
      CapAdd: security.capabilities.add,
      CapDrop: security.capabilities.drop,
      SecurityOpt: securityOptions.securityOpt,
      Privileged: security.privileged,
      ReadonlyRootfs: security.readOnlyRootFilesystem,
      ...(security.readOnlyRootFilesystem ? { Tmpfs: Object.fromEntries(readOnlyTmpfs) } : {}),
      GroupAdd: [...(security.fsGroup !== undefined ? [security.fsGroup] : []), ...security.supplementalGroups].map(String),
      ...(memoryLimit ? { Memory: memoryLimit, MemorySwap: memoryLimit } : {}),
      ...(limits.cpu ? { CpuPeriod: CPU_PERIOD_US, CpuQuota: Math.max(1000, (milliCpuOf(limits.cpu) * CPU_PERIOD_US) / 1000) } : {}),
      CpuShares: cpuRequest ? Math.max(MIN_CPU_SHARES, Math.floor((milliCpuOf(cpuRequest) * 1024) / 1000)) : MIN_CPU_SHARES,
      // The kubelet restarts containers itself (restartPolicy, back-off); the engine never does.
      RestartPolicy: { Name: "no" },
    },
  };
}

/** `host:container[:ro]` for each volume mount (subPath folders made as the kubelet makes them), plus the kubelet's own token mount. */
async function binds(container: V1Container, volumes: Map<string, VolumeSource>, expand: (text: string) => string): Promise<string[]> {
  const mounts = [...(container.volumeMounts ?? [])];
  if (volumes.has(IMPLICIT_TOKEN_VOLUME)) mounts.push({ name: IMPLICIT_TOKEN_VOLUME, mountPath: SERVICE_ACCOUNT_MOUNT_PATH, readOnly: true });
  const result: string[] = [];
  for (const mount of mounts) {
    const volume = volumes.get(mount.name);
    if (!volume) throw new ContainerConfigError(`cannot find volume ${JSON.stringify(mount.name)} to mount into container ${JSON.stringify(container.name)}`);
    let source = volume.hostPath;
    const subPath = mount.subPathExpr ? expand(mount.subPathExpr) : mount.subPath;
    if (subPath) {
      source = path.join(volume.hostPath, subPath);
      if (!source.startsWith(volume.hostPath + path.sep)) throw new ContainerConfigError(`subPath ${JSON.stringify(subPath)} must not go outside its volume`);
      if (!volume.readOnly) await mkdir(source, { recursive: true, mode: 0o777 });
    }
    const readOnly = volume.readOnly || (mount.readOnly ?? false);
    result.push(`${source}:${mount.mountPath}${readOnly ? ":ro" : ""}`);
  }
  return result;
}
