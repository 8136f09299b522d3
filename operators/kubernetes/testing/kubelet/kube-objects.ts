import { ApiException, type CoreV1Api, type V1ConfigMap, type V1Secret, type V1ServiceAccount } from "@kubernetes/client-node";

/** An API call's HTTP status (client-node throws ApiException with it), if it failed with one. */
export const apiStatus = (error: unknown): number | undefined => (error instanceof ApiException ? error.code : undefined);

/** Runs an API read whose 404 means "there is none": undefined then. */
export async function unlessMissing<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (apiStatus(error) === 404) return undefined;
    throw error;
  }
}

/** The objects a pod's env and volumes refer to, read when a container is made and whenever its volumes are projected (never cached: a Secret made later is found, a changed one read as it is now). */
export interface PodObjects {
  secret(namespace: string, name: string): Promise<V1Secret | undefined>;
  configMap(namespace: string, name: string): Promise<V1ConfigMap | undefined>;
  serviceAccount(namespace: string, name: string): Promise<V1ServiceAccount | undefined>;
}

export function podObjectsFrom(core: CoreV1Api): PodObjects {
  return {
    secret: (namespace, name) => unlessMissing(() => core.readNamespacedSecret({ namespace, name })),
    configMap: (namespace, name) => unlessMissing(() => core.readNamespacedConfigMap({ namespace, name })),
    serviceAccount: (namespace, name) => unlessMissing(() => core.readNamespacedServiceAccount({ namespace, name })),
  };
}

/** A Secret's value for `key`, decoded (`data` is base64; `stringData` never comes back from the API). */
export const secretValue = (secret: V1Secret, key: string): string | undefined => {
  const encoded = secret.data?.[key];
  return encoded === undefined ? undefined : Buffer.from(encoded, "base64").toString("utf8");
};

/** A ConfigMap's value for `key` (`binaryData` is base64). */
export const configMapValue = (configMap: V1ConfigMap, key: string): string | undefined => {
  const text = configMap.data?.[key];
  if (text !== undefined) return text;
  const binary = configMap.binaryData?.[key];
  return binary === undefined ? undefined : Buffer.from(binary, "base64").toString("utf8");
};
