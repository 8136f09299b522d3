import { chmod, chown, mkdir, readdir, rm } from "node:fs/promises";
import path from "node:path";
import type { V1KeyToPath, V1Pod, V1ProjectedVolumeSource, V1Volume } from "@kubernetes/client-node";
import { type VolumeFile, writeAtomically } from "./atomic-writer";
import { fieldValue } from "./container-env";
import { configMapValue, type PodObjects, secretValue } from "./kube-objects";
import { type ServiceAccountTokenSource, TokenCache, unsignedAudienceToken, VolumeSetupError } from "./service-account-tokens";

export const SERVICE_ACCOUNT_MOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount";
/** The name given to the token volume the kubelet adds itself (see `prepare`). */
export const IMPLICIT_TOKEN_VOLUME = "kube-api-access-kubelet";

export interface VolumeSource {
  hostPath: string;
  /** Secret, ConfigMap, projected and downward-API volumes are always read-only, as on a real node. */
  readOnly: boolean;
}

interface PodVolumeContext {
  objects: PodObjects;
  tokens: ServiceAccountTokenSource;
  caPem: string;
  hostIp: string;
}

/**
 * Each pod's volumes as folders under `<rootDir>/pods/<uid>/volumes/`, bind-mounted into its
 * containers and removed with the pod: emptyDir (a fresh, world-writable folder, as the kubelet
 * makes it), hostPath passed through, and secret, configMap, downwardAPI and projected
 * (service-account token, secret, configMap, downward API) projected as files by the kubelet's
 * atomic writer (atomic-writer.ts). `refresh` projects those again, so a changed Secret,
 * ConfigMap or pod label reaches a running container as it does on a node: `..data` swapped in
 * one rename. Whole-volume mounts see that; a subPath mount keeps the file it was made with.
 */
export class PodVolumes {
  private readonly tokens = new TokenCache();

  constructor(
    private readonly rootDir: string,
    private readonly context: PodVolumeContext,
  ) {}

  podDir = (uid: string) => path.join(this.rootDir, "pods", uid);

  /** Sets up every volume of `pod`; throws VolumeSetupError (the pod waits in ContainerCreating) when one cannot be. */
  async prepare(pod: V1Pod): Promise<Map<string, VolumeSource>> {
    const sources = new Map<string, VolumeSource>();
    for (const volume of await this.volumesOf(pod)) sources.set(volume.name, await namedErrors(volume, () => this.setUp(pod, volume)));
    return sources;
  }

  /**
   * Projects the pod's secret, configMap, downwardAPI and projected volumes again from what the
   * API holds now (a no-op for a volume whose content did not change). Throws VolumeSetupError
   * when one cannot be (its Secret was deleted, say); that volume keeps the files it had.
   */
  async refresh(pod: V1Pod): Promise<void> {
    for (const volume of await this.volumesOf(pod)) {
      if (isProjectedKind(volume)) await namedErrors(volume, () => this.project(pod, volume));
    }
  }

  async remove(uid: string): Promise<void> {
    this.tokens.forgetPod(uid);
    await rm(this.podDir(uid), { recursive: true, force: true });
  }

  /** The pod uids that have a folder here (a restarted kubelet's leftovers included). */
  async podUidsOnDisk(): Promise<string[]> {
    return readdir(path.join(this.rootDir, "pods")).catch(() => []);
  }

  /**
   * The ServiceAccount admission plugin mounts the token (the test API server does); for a pod
   * that reached the kubelet without it, the kubelet adds the same mount unless the pod or its
   * account opts out, so an API server without that plugin still behaves like a cluster.
   */
  private async implicitTokenVolume(pod: V1Pod): Promise<V1Volume[]> {
    const containers = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
    if (containers.some((container) => container.volumeMounts?.some((mount) => mount.mountPath === SERVICE_ACCOUNT_MOUNT_PATH))) return [];
    if (pod.spec?.automountServiceAccountToken === false) return [];
    const account = await this.context.objects.serviceAccount(pod.metadata?.namespace ?? "default", pod.spec?.serviceAccountName ?? "default");
    if (pod.spec?.automountServiceAccountToken === undefined && account?.automountServiceAccountToken === false) return [];
    return [
      {
        name: IMPLICIT_TOKEN_VOLUME,
        projected: {
          sources: [
            { serviceAccountToken: { path: "token", expirationSeconds: 3607 } },
            { configMap: { name: "kube-root-ca.crt", items: [{ key: "ca.crt", path: "ca.crt" }] } },
            { downwardAPI: { items: [{ path: "namespace", fieldRef: { fieldPath: "metadata.namespace" } }] } },
          ],
        },
      },
    ];
  }

  private async volumesOf(pod: V1Pod): Promise<V1Volume[]> {
    return [...(pod.spec?.volumes ?? []), ...(await this.implicitTokenVolume(pod))];
  }

  private volumeDir = (pod: V1Pod, volume: V1Volume) => path.join(this.podDir(pod.metadata!.uid!), "volumes", volume.name);

  private async setUp(pod: V1Pod, volume: V1Volume): Promise<VolumeSource> {
    if (volume.hostPath) return { hostPath: volume.hostPath.path, readOnly: false };
    const dir = this.volumeDir(pod, volume);
    // The kubelet's emptyDir mode (mkdir's is cut by the umask); secret, configMap, downwardAPI and projected volumes are emptyDirs
    // it projects into. Only on a new folder: one a restarted kubelet finds keeps its mode.
    if ((await mkdir(dir, { recursive: true })) !== undefined) await chmod(dir, 0o777);
    if (volume.emptyDir) {
      const fsGroup = pod.spec?.securityContext?.fsGroup;
      if (fsGroup !== undefined) await chown(dir, 0, fsGroup);
      return { hostPath: dir, readOnly: false };
    }
    await this.project(pod, volume);
    return { hostPath: dir, readOnly: true };
  }

  private async project(pod: V1Pod, volume: V1Volume): Promise<void> {
    await writeAtomically(this.volumeDir(pod, volume), await this.filesOf(pod, volume), pod.spec?.securityContext?.fsGroup);
  }

  private async filesOf(pod: V1Pod, volume: V1Volume): Promise<VolumeFile[]> {
    const namespace = pod.metadata?.namespace ?? "default";
    if (volume.secret) {
      const { secretName = "", items, optional, defaultMode = 0o644 } = volume.secret;
      const secret = await this.context.objects.secret(namespace, secretName);
      if (!secret) return optional ? [] : missing(`secret ${JSON.stringify(secretName)} not found`);
      return keyedFiles(Object.keys(secret.data ?? {}), items, defaultMode, (key) => secretValue(secret, key), "references non-existent secret key");
    }
    if (volume.configMap) {
      const { name, items, optional, defaultMode = 0o644 } = volume.configMap;
      const configMap = await this.context.objects.configMap(namespace, name ?? "");
      if (!configMap) return optional ? [] : missing(`configmap ${JSON.stringify(name)} not found`);
      return keyedFiles(Object.keys({ ...configMap.data, ...configMap.binaryData }), items, defaultMode, (key) => configMapValue(configMap, key), "configmap references non-existent config key");
    }
    if (volume.downwardAPI) {
      const mode = volume.downwardAPI.defaultMode ?? 0o644;
      return (volume.downwardAPI.items ?? []).map((item) => ({ path: item.path, content: this.downward(pod, item.fieldRef?.fieldPath), mode: item.mode ?? mode }));
    }
    if (volume.projected) return this.projectedFiles(pod, volume.projected);
    const kind = Object.keys(volume).find((key) => key !== "name") ?? "unknown";
    return missing(`volume type ${kind} is not supported by the test kubelet`);
  }

  private async projectedFiles(pod: V1Pod, projected: V1ProjectedVolumeSource): Promise<VolumeFile[]> {
    const namespace = pod.metadata?.namespace ?? "default";
    const mode = projected.defaultMode ?? 0o644;
    const files: VolumeFile[] = [];
    for (const source of projected.sources ?? []) {
      if (source.serviceAccountToken) {
        const { audience, expirationSeconds = 3600, path: tokenPath } = source.serviceAccountToken;
        const account = pod.spec?.serviceAccountName ?? "default";
        const key = { podUid: pod.metadata?.uid ?? "", namespace, account, audience: audience ?? "", expirationSeconds };
        const content = await this.tokens.get(key, () => (audience ? unsignedAudienceToken(namespace, account, audience, expirationSeconds) : this.context.tokens(namespace, account, expirationSeconds)));
        files.push({ path: tokenPath, content, mode });
      } else if (source.secret) {
        files.push(...(await this.filesOf(pod, { name: "projected", secret: { secretName: source.secret.name, items: source.secret.items, optional: source.secret.optional, defaultMode: mode } })));
      } else if (source.configMap) {
        files.push(...(await this.projectedConfigMap(namespace, source.configMap.name ?? "", source.configMap.items, source.configMap.optional, mode)));
      } else if (source.downwardAPI) {
        files.push(...(source.downwardAPI.items ?? []).map((item) => ({ path: item.path, content: this.downward(pod, item.fieldRef?.fieldPath), mode: item.mode ?? mode })));
      } else {
        return missing("projected sources other than serviceAccountToken, secret, configMap and downwardAPI are not supported by the test kubelet");
      }
    }
    return files;
  }

  /**
   * kube-controller-manager's root-CA publisher puts `kube-root-ca.crt` in every namespace; an API
   * server without that controller still gets the CA the kubelet itself trusts, as it would have.
   */
  private async projectedConfigMap(namespace: string, name: string, items: V1KeyToPath[] | undefined, optional: boolean | undefined, mode: number): Promise<VolumeFile[]> {
    const configMap = await this.context.objects.configMap(namespace, name);
    if (!configMap && name === "kube-root-ca.crt") return keyedFiles(["ca.crt"], items, mode, (key) => (key === "ca.crt" ? this.context.caPem : undefined), "configmap references non-existent config key");
    return this.filesOf({ metadata: { namespace } }, { name: "projected", configMap: { name, items, optional, defaultMode: mode } });
  }

  private downward(pod: V1Pod, fieldPath: string | undefined): string {
    if (!fieldPath) return missing("downwardAPI items need a fieldRef (resourceFieldRef is not supported by the test kubelet)");
    if (fieldPath === "metadata.labels" || fieldPath === "metadata.annotations") {
      const values = (fieldPath === "metadata.labels" ? pod.metadata?.labels : pod.metadata?.annotations) ?? {};
      return Object.entries(values).sort(([a], [b]) => a.localeCompare(b)).map(([key, value]) => `${key}=${JSON.stringify(value)}`).join("\n");
    }
    return fieldValue(pod, fieldPath, this.context.hostIp);
  }
}

const isProjectedKind = (volume: V1Volume) => !!(volume.secret || volume.configMap || volume.downwardAPI || volume.projected);

/** Runs one volume's step, naming the volume in a VolumeSetupError as the kubelet's MountVolume.SetUp message does. */
async function namedErrors<T>(volume: V1Volume, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (error instanceof VolumeSetupError) throw new VolumeSetupError(`MountVolume.SetUp failed for volume ${JSON.stringify(volume.name)} : ${error.message}`);
    throw error;
  }
}

/** A Secret's or ConfigMap's keys as files: every key under its own name, or only `items` at their paths. */
function keyedFiles(keys: string[], items: V1KeyToPath[] | undefined, mode: number, value: (key: string) => string | undefined, missingKey: string): VolumeFile[] {
  const wanted: V1KeyToPath[] = items ?? keys.map((key) => ({ key, path: key }));
  return wanted.map((item) => {
    const content = value(item.key);
    if (content === undefined) return missing(`${missingKey}: ${item.key}`);
    return { path: item.path, content, mode: item.mode ?? mode };
  });
}

function missing(message: string): never {
  throw new VolumeSetupError(message);
}
