import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { CONTAINERS } from "@/prisma-free-schema";
import { provisioningScript } from "./provisioning-script";

describe("the provisioning script for a managed-identity account", () => {
  const script = provisioningScript();

  it("makes every container the platform uses, with its partition key, unique keys, ttl and index", () => {
    for (const definition of Object.values(CONTAINERS)) expect(script).toContain(`--name ${definition.id} \\\n  --partition-key-path ${definition.partitionKey}`);
    expect(script).toContain(`--unique-key-policy '{"uniqueKeys":[{"paths":["/name"]}]}'`);
    expect(script).toContain("--ttl 120");
    expect(script).toMatch(/--name runEvents[^\n]*\n[^\n]*\n[^\n]*--idx '\{[^']*"excludedPaths":\[\{"path":"\/events\/\*"\}/);
  });

  it("is a shell script bash accepts", () => {
    expect(() => execFileSync("bash", ["-n"], { input: script })).not.toThrow();
  });
});
