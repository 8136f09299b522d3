import { AuthorizationV1Api, CoreV1Api, KubeConfig, VersionApi, WellKnownApi } from "@kubernetes/client-node";

/** The cluster as the operator uses it: the API clients, and the one namespace it owns. */
export interface Cluster {
  config: KubeConfig;
  core: CoreV1Api;
  authorization: AuthorizationV1Api;
  version: VersionApi;
  wellKnown: WellKnownApi;
  namespace: string;
  /** The namespace the operator's own service account lives in (in-cluster), or the kubeconfig context's; null if neither says. */
  homeNamespace: string | null;
}

/**
 * Connects as the operator runs: in the cluster, from its pod's service account
 * (`/var/run/secrets/kubernetes.io/serviceaccount`, under `serviceAccountRoot` when given, and
 * KUBERNETES_SERVICE_HOST/PORT), the way client-go's in-cluster config does; or, when KUBECONFIG
 * names a file, from it (an operator run outside the cluster, for a try-out).
 */
export function connectToCluster(options: { namespace: string; kubeconfig?: string; serviceAccountRoot?: string }): Cluster {
  const config = new KubeConfig();
  let homeNamespace: string | null = null;
  if (options.kubeconfig) {
    config.loadFromFile(options.kubeconfig);
    homeNamespace = config.getContextObject(config.getCurrentContext())?.namespace ?? null;
  } else {
    config.loadFromCluster(options.serviceAccountRoot ?? "");
    homeNamespace = config.getContextObject(config.getCurrentContext())?.namespace ?? null;
  }
  return {
    config,
    core: config.makeApiClient(CoreV1Api),
    authorization: config.makeApiClient(AuthorizationV1Api),
    version: config.makeApiClient(VersionApi),
    wellKnown: config.makeApiClient(WellKnownApi),
    namespace: options.namespace,
    homeNamespace,
  };
}
