import type { V1Container, V1Pod, V1PodSecurityContext } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { effectiveSecurity, engineSecurityOptions, engineUser, runAsNonRootViolation } from "./security-context";

const pod = (securityContext: V1PodSecurityContext = {}): V1Pod => ({
  metadata: { name: "web", namespace: "apps", uid: "u-1" },
  spec: { securityContext, containers: [] },
});
const container = (securityContext: V1Container["securityContext"] = {}): V1Container => ({ name: "main", securityContext });
const violation = (podContext: V1PodSecurityContext, own: V1Container["securityContext"], imageUser: string) => {
  const p = pod(podContext);
  const c = container(own);
  return runAsNonRootViolation(p, c, effectiveSecurity(p, c), imageUser);
};

describe("security context", () => {
  it("refuses runAsNonRoot for an image that runs as root, with the kubelet's message", () => {
    expect(violation({ runAsNonRoot: true }, {}, "")).toBe('container has runAsNonRoot and image will run as root (pod: "web_apps(u-1)", container: main)');
    expect(violation({}, { runAsNonRoot: true }, "0:0")).toBe('container has runAsNonRoot and image will run as root (pod: "web_apps(u-1)", container: main)');
    expect(violation({ runAsNonRoot: true }, {}, "app")).toMatch(/^container has runAsNonRoot and image has non-numeric user \(app\), cannot verify user is non-root/);
  });

  it("lets an explicit runAsUser decide, the container's over the pod's", () => {
    expect(violation({ runAsNonRoot: true, runAsUser: 1000 }, { runAsUser: 0 }, "1000")).toMatch(/^container's runAsUser breaks non-root policy/);
    expect(violation({ runAsNonRoot: true, runAsUser: 0 }, { runAsUser: 1000 }, "")).toBeUndefined();
    expect(violation({ runAsNonRoot: true }, {}, "1000")).toBeUndefined();
  });

  it("maps user, group, privilege escalation and seccomp onto the engine", () => {
    const security = effectiveSecurity(pod({ runAsUser: 1000, runAsGroup: 2000, seccompProfile: { type: "RuntimeDefault" } }), container({ allowPrivilegeEscalation: false }));
    expect(engineUser(security, "")).toBe("1000:2000");
    expect(engineSecurityOptions(security)).toEqual({ securityOpt: ["no-new-privileges"] });
    expect(engineUser(effectiveSecurity(pod({ runAsGroup: 5 }), container()), "sandbox")).toBe("sandbox:5");
    // No profile is Unconfined, as the kubelet runs containers unless SeccompDefault is on.
    expect(engineSecurityOptions(effectiveSecurity(pod(), container()))).toEqual({ securityOpt: ["seccomp=unconfined"] });
    expect(engineSecurityOptions(effectiveSecurity(pod({ seccompProfile: { type: "Localhost", localhostProfile: "x.json" } }), container()))).toHaveProperty("error");
  });
});
