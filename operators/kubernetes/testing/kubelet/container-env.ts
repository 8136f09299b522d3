import type { V1Container, V1EnvVarSource, V1Pod } from "@kubernetes/client-node";
import { configMapValue, type PodObjects, secretValue } from "./kube-objects";

/** Why a container cannot be made (the kubelet's CreateContainerConfigError), with the kubelet's message. */
export class ContainerConfigError extends Error {}

/**
 * A container's environment as the kubelet builds it: `envFrom` sources in order, then `env`
 * (later wins), each `$(VAR)` in a value expanded from what came before; then the service
 * variables a pod finds its API server by (KUBERNETES_SERVICE_HOST/PORT, here the test API
 * server's loopback address), unless the container set them itself.
 * https://kubernetes.io/docs/tasks/inject-data-application/define-interdependent-environment-variables/
 */
export async function containerEnv(pod: V1Pod, container: V1Container, objects: PodObjects, context: { apiServerUrl: string; hostIp: string }): Promise<Map<string, string>> {
  const namespace = pod.metadata?.namespace ?? "default";
  const env = new Map<string, string>();

  for (const source of container.envFrom ?? []) {
    const prefix = source.prefix ?? "";
    let entries: [string, string | undefined][] = [];
    if (source.secretRef) {
      const secret = await objects.secret(namespace, source.secretRef.name ?? "");
      if (!secret && !source.secretRef.optional) throw new ContainerConfigError(`secret ${JSON.stringify(source.secretRef.name)} not found`);
      entries = Object.keys(secret?.data ?? {}).map((key) => [key, secret && secretValue(secret, key)]);
    } else if (source.configMapRef) {
      const configMap = await objects.configMap(namespace, source.configMapRef.name ?? "");
      if (!configMap && !source.configMapRef.optional) throw new ContainerConfigError(`configmap ${JSON.stringify(source.configMapRef.name)} not found`);
      entries = Object.keys({ ...configMap?.data, ...configMap?.binaryData }).map((key) => [key, configMap && configMapValue(configMap, key)]);
    }
    // Keys that cannot be variable names are skipped (the kubelet records an event and goes on).
    for (const [key, value] of entries) if (value !== undefined && !key.includes("=")) env.set(prefix + key, value);
  }

  const service = serviceVariables(context.apiServerUrl);
  for (const variable of container.env ?? []) {
    if (variable.valueFrom) {
      const value = await valueFrom(pod, variable.valueFrom, objects, context.hostIp);
      if (value !== undefined) env.set(variable.name, value);
    } else {
      env.set(variable.name, expandReferences(variable.value ?? "", (name) => env.get(name) ?? service.get(name)));
    }
  }
  for (const [name, value] of service) if (!env.has(name)) env.set(name, value);
  return env;
}

async function valueFrom(pod: V1Pod, source: V1EnvVarSource, objects: PodObjects, hostIp: string): Promise<string | undefined> {
  const namespace = pod.metadata?.namespace ?? "default";
  if (source.secretKeyRef) {
    const { name = "", key, optional } = source.secretKeyRef;
    const secret = await objects.secret(namespace, name);
    if (!secret) return optional ? undefined : fail(`secret ${JSON.stringify(name)} not found`);
    return secretValue(secret, key) ?? (optional ? undefined : fail(`couldn't find key ${key} in Secret ${namespace}/${name}`));
  }
  if (source.configMapKeyRef) {
    const { name = "", key, optional } = source.configMapKeyRef;
    const configMap = await objects.configMap(namespace, name);
    if (!configMap) return optional ? undefined : fail(`configmap ${JSON.stringify(name)} not found`);
    return configMapValue(configMap, key) ?? (optional ? undefined : fail(`couldn't find key ${key} in ConfigMap ${namespace}/${name}`));
  }
  if (source.fieldRef) return fieldValue(pod, source.fieldRef.fieldPath, hostIp);
  return fail("test kubelet: only secretKeyRef, configMapKeyRef and fieldRef env sources are supported");
}

/** The downward API's pod fields (the ones a pod can ask for in env or a downwardAPI volume). */
export function fieldValue(pod: V1Pod, fieldPath: string, hostIp: string): string {
  const keyed = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(fieldPath);
  if (keyed) return (keyed[1] === "labels" ? pod.metadata?.labels : pod.metadata?.annotations)?.[keyed[2]!] ?? "";
  const fields: Record<string, string | undefined> = {
    "metadata.name": pod.metadata?.name,
    "metadata.namespace": pod.metadata?.namespace,
    "metadata.uid": pod.metadata?.uid,
    "spec.nodeName": pod.spec?.nodeName,
    "spec.serviceAccountName": pod.spec?.serviceAccountName,
    // Host networking: the pod's address is the node's (see README).
    "status.hostIP": hostIp,
    "status.hostIPs": hostIp,
    "status.podIP": hostIp,
    "status.podIPs": hostIp,
  };
  if (!(fieldPath in fields)) throw new ContainerConfigError(`unsupported fieldPath: ${fieldPath}`);
  return fields[fieldPath] ?? "";
}

function serviceVariables(apiServerUrl: string): Map<string, string> {
  const url = new URL(apiServerUrl);
  const port = url.port || "443";
  return new Map([
    ["KUBERNETES_SERVICE_HOST", url.hostname],
    ["KUBERNETES_SERVICE_PORT", port],
    ["KUBERNETES_SERVICE_PORT_HTTPS", port],
  ]);
}

/** `$(NAME)` → its value when defined, else left as written; `$$` → `$` (so `$$(NAME)` stays literal). */
export function expandReferences(text: string, lookup: (name: string) => string | undefined): string {
  return text.replace(/\$(\$|\(([^()]*)\))/g, (whole, inner: string, name: string | undefined) => (inner === "$" ? "$" : (lookup(name ?? "") ?? whole)));
}

function fail(message: string): never {
  throw new ContainerConfigError(message);
}
