export type { ApiServerAccess } from "./kube-client";
export { canReadKernelLog } from "./kernel-oom-log";
export type { PodLogSource } from "./pod-logs";
export type { ServiceAccountTokenSource } from "./service-account-tokens";
export { startTestKubelet, type TestKubelet, type TestKubeletOptions } from "./test-kubelet";
