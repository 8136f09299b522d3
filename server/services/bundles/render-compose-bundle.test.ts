import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { BundleSettings } from "./bundle-settings";
import { FAKE_KEY, keysDeep, sampleBundleSettings } from "./bundle-settings.fixture";
import { renderComposeBundle } from "./render-compose-bundle";

const KEY = FAKE_KEY;
const HOST_ID = "host_zyxwvutsrqpnmkjihgfe";
const settings = (host: Partial<BundleSettings["host"]> = {}) => sampleBundleSettings("docker", { host });



const bundle = renderComposeBundle(settings());
const compose = parse(bundle.content, { version: "1.1" });

describe("the Local Docker operator bundle", () => {
  it("is named for the host, with its env file beside it and the command to start it", () => {
    expect(bundle.filename).toBe("discoparrot-operator-dev-laptop.compose.yaml");
    expect(bundle.envFile.filename).toBe("discoparrot-operator-dev-laptop.env");
    expect(bundle.commands).toEqual(["docker compose -f discoparrot-operator-dev-laptop.compose.yaml up -d"]);
    expect(bundle.content).toMatch(/^# /);
    expect(bundle.content).toContain("discoparrot-operator-dev-laptop.env, which must sit beside this file");
  });

  it("runs one operator service, restarted unless stopped, under a fixed project name", () => {
    expect(compose.name).toBe("discoparrot-dev-laptop");
    expect(Object.keys(compose.services)).toEqual(["operator"]);
    expect(compose.services.operator.image).toBe("ghcr.io/discoparrot/operator:0.1.0");
    expect(compose.services.operator.restart).toBe("unless-stopped");
  });

  it("mounts the Docker socket and publishes no ports on a host network", () => {
    const operator = compose.services.operator;
    expect(operator.volumes).toEqual(["/var/run/docker.sock:/var/run/docker.sock"]);
    const keys = keysDeep(compose);
    for (const key of ["ports", "expose", "network_mode", "privileged", "pid", "ipc", "cap_add"]) expect(keys).not.toContain(key);
  });

  it("runs the operator read-only, without new privileges or capabilities", () => {
    const operator = compose.services.operator;
    expect(operator).toMatchObject({ read_only: true, security_opt: ["no-new-privileges:true"], cap_drop: ["ALL"], tmpfs: ["/tmp"] });
    expect(Object.keys(operator).sort()).toEqual(["cap_drop", "env_file", "environment", "image", "read_only", "restart", "security_opt", "tmpfs", "volumes"]);
  });

  it("keeps the install key out of the Compose file and only in the env file", () => {
    expect(bundle.content).not.toContain(KEY);
    expect(bundle.content).not.toContain("opk_");
    expect(compose.services.operator.env_file).toEqual([bundle.envFile.filename]);
    expect(compose.services.operator.environment).toEqual({
      DISCOPARROT_PLATFORM_URL: "https://parrot.example.com",
      DISCOPARROT_HOST_ID: HOST_ID,
      DISCOPARROT_HOST_NAME: "dev-laptop",
      DISCOPARROT_WORKSPACE_ID: "ws_abcdefghijkmnpqrstuv",
      DISCOPARROT_SANDBOX_NETWORK: "bridge",
    });
    const lines = bundle.envFile.content.split("\n").filter((line) => line && !line.startsWith("#"));
    expect(lines).toEqual([`DISCOPARROT_INSTALL_KEY=${KEY}`]);
    expect(bundle.envFile.content.split(KEY)).toHaveLength(2);
    expect(bundle.envFile.content).toContain("sha256:ab12cd34");
  });

  it("tells the operator the host's sandbox network, bridge when none is set", () => {
    const custom = parse(renderComposeBundle(settings({ docker: { network: "dp-sandboxes", warmPools: [] } })).content, { version: "1.1" });
    expect(custom.services.operator.environment.DISCOPARROT_SANDBOX_NETWORK).toBe("dp-sandboxes");
    expect(compose.services.operator.environment.DISCOPARROT_SANDBOX_NETWORK).toBe("bridge");
  });

  it("holds no messaging-channel address", () => {
    expect(bundle.content + bundle.envFile.content).not.toMatch(/web.?pubsub/i);
  });

  it.each(["on", "no", "null", "1e3"])("keeps a host named %s a string", (name) => {
    const parsed = parse(renderComposeBundle(settings({ name })).content, { version: "1.1" });
    expect(parsed.services.operator.environment.DISCOPARROT_HOST_NAME).toBe(name);
    expect(parsed.name).toBe(`discoparrot-${name}`);
  });
});
