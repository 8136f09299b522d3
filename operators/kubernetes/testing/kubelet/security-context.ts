import type { V1Container, V1Pod, V1SeccompProfile } from "@kubernetes/client-node";

/** The pod's and the container's security settings merged, the container's winning (the kubelet's DetermineEffectiveSecurityContext). */
export interface EffectiveSecurity {
  runAsUser?: number;
  runAsGroup?: number;
  runAsNonRoot?: boolean;
  seccompProfile?: V1SeccompProfile;
  supplementalGroups: number[];
  fsGroup?: number;
  capabilities: { add: string[]; drop: string[] };
  allowPrivilegeEscalation?: boolean;
  privileged: boolean;
  readOnlyRootFilesystem: boolean;
}

export function effectiveSecurity(pod: V1Pod, container: V1Container): EffectiveSecurity {
  const podContext = pod.spec?.securityContext ?? {};
  const own = container.securityContext ?? {};
  return {
    runAsUser: own.runAsUser ?? podContext.runAsUser,
    runAsGroup: own.runAsGroup ?? podContext.runAsGroup,
    runAsNonRoot: own.runAsNonRoot ?? podContext.runAsNonRoot,
    seccompProfile: own.seccompProfile ?? podContext.seccompProfile,
    supplementalGroups: podContext.supplementalGroups ?? [],
    fsGroup: podContext.fsGroup,
    capabilities: { add: own.capabilities?.add ?? [], drop: own.capabilities?.drop ?? [] },
    allowPrivilegeEscalation: own.allowPrivilegeEscalation,
    privileged: own.privileged ?? false,
    readOnlyRootFilesystem: own.readOnlyRootFilesystem ?? false,
  };
}

/** `name_namespace(uid)`, how the kubelet names a pod in its messages (format.Pod). */
export const podDescription = (pod: V1Pod) => `${pod.metadata?.name}_${pod.metadata?.namespace}(${pod.metadata?.uid})`;

/**
 * The kubelet's runAsNonRoot check, with its messages (the reason is CreateContainerConfigError):
 * an explicit runAsUser decides; otherwise the image's user must be numeric and not 0 (an image
 * with no user runs as root).
 * https://github.com/kubernetes/kubernetes/blob/master/pkg/kubelet/kuberuntime/security_context_others.go
 */
export function runAsNonRootViolation(pod: V1Pod, container: V1Container, security: EffectiveSecurity, imageUser: string): string | undefined {
  if (!security.runAsNonRoot) return undefined;
  const where = `(pod: ${JSON.stringify(podDescription(pod))}, container: ${container.name})`;
  if (security.runAsUser !== undefined) return security.runAsUser === 0 ? `container's runAsUser breaks non-root policy ${where}` : undefined;
  const user = imageUser.split(":")[0] ?? "";
  if (user === "" || user === "0") return `container has runAsNonRoot and image will run as root ${where}`;
  if (!/^\d+$/.test(user)) return `container has runAsNonRoot and image has non-numeric user (${user}), cannot verify user is non-root ${where}`;
  return undefined;
}

/** The engine's `User`: runAsUser[:runAsGroup], or the image's user with runAsGroup; undefined leaves the image's. */
export function engineUser(security: EffectiveSecurity, imageUser: string): string | undefined {
  if (security.runAsUser === undefined && security.runAsGroup === undefined) return undefined;
  const user = security.runAsUser !== undefined ? String(security.runAsUser) : imageUser.split(":")[0] || "0";
  return security.runAsGroup !== undefined ? `${user}:${security.runAsGroup}` : user;
}

/**
 * The engine's security options: `RuntimeDefault` seccomp is the engine's own default profile,
 * and no profile at all is unconfined, as the kubelet runs containers unless its SeccompDefault
 * setting is on. `Localhost` profiles live on a real node's disk; there is no such place here.
 */
export function engineSecurityOptions(security: EffectiveSecurity): { securityOpt: string[] } | { error: string } {
  const securityOpt: string[] = [];
  if (security.allowPrivilegeEscalation === false) securityOpt.push("no-new-privileges");
  const seccomp = security.seccompProfile?.type;
  if (seccomp === "Localhost") return { error: `seccomp profile type Localhost (${security.seccompProfile?.localhostProfile ?? ""}) is not supported by the test kubelet` };
  if (seccomp !== "RuntimeDefault" && !security.privileged) securityOpt.push("seccomp=unconfined");
  return { securityOpt };
}
