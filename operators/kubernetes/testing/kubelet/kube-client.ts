import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";

export interface ApiServerAccess {
  /** `https://127.0.0.1:<port>` */
  url: string;
  caPem: string;
  /** A bearer token the kubelet acts with (a real one is `system:node:<name>`; a test may pass the admin's). */
  token: string;
}

/** The kubelet's client: one cluster, one bearer token, the server's own CA (never skip-TLS). */
export function kubeClientFor(apiServer: ApiServerAccess): { kubeConfig: KubeConfig; core: CoreV1Api } {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [{ name: "test", server: apiServer.url, caData: Buffer.from(apiServer.caPem).toString("base64"), skipTLSVerify: false }],
    users: [{ name: "kubelet", token: apiServer.token }],
    contexts: [{ name: "test", cluster: "test", user: "kubelet" }],
    currentContext: "test",
  });
  return { kubeConfig, core: kubeConfig.makeApiClient(CoreV1Api) };
}
