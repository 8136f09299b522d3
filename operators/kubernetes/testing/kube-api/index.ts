export { startTestKubeApiServer, type TestKubeApiServer, type TestKubeApiServerOptions } from "./kube-api-server";
export type { KubeObject } from "./object-store";
export type { PodLogSource } from "./pod-logs";
export type { TestObjects } from "./test-objects";
export { WORKLOAD_IDENTITY } from "./workload-identity-webhook";
