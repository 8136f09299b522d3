import { describe, expect, it } from "vitest";
import { factWords, orderedFacts, wordsOfKey } from "./health-fact-words";

describe("health facts in words", () => {
  it("names every fact operators report today in words, never by its key", () => {
    const reported = ["clusterApi", "kubernetesVersion", "namespace", "namespaceOwned", "rbac", "channel", "pods", "oidcIssuer", "engine", "engineError", "containers", "network", "nodeVersion", "platform", "arch", "uptimeSeconds", "hostname"];
    for (const key of reported) {
      const words = factWords(key, "x");
      expect(words.label).not.toBe(key);
      expect(`${words.label} ${words.sentence}`).not.toMatch(/\b[a-z]+[A-Z][a-zA-Z]*\b/);
    }
  });

  it("turns an unknown camelCase key into words, and a yes/no into a verdict", () => {
    expect(wordsOfKey("canCreatePods")).toBe("Can create pods");
    expect(wordsOfKey("OIDCIssuer")).toBe("Oidc issuer");
    expect(factWords("canCreatePods", false)).toMatchObject({ label: "Can create pods", verdict: "bad" });
    expect(factWords("canCreatePods", true)).toMatchObject({ verdict: "good" });
  });

  it("says what a problem is and puts problems first", () => {
    expect(factWords("rbac", "missing: create pods, delete pods").sentence).toContain("create pods, delete pods");
    expect(factWords("engine", "unreachable")).toMatchObject({ verdict: "bad", sentence: "The operator cannot reach the Docker engine." });
    expect(factWords("uptimeSeconds", 3 * 3600 + 120).sentence).toBe("The operator has been running for 3 h 2 min.");
    const ordered = orderedFacts([["nodeVersion", "v22.1.0"], ["engine", "unreachable"], ["channel", "connected"]]);
    expect(ordered.map((fact) => fact.verdict)).toEqual(["bad", "good", "info"]);
  });
});
