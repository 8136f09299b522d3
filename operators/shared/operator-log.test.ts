import { describe, expect, it } from "vitest";
import { createOperatorLog } from "./operator-log";

const KEY = "opk_Zx9-secret_KEY_0123456789";

function captured(level?: "debug" | "info" | "warn" | "error") {
  const lines: string[] = [];
  return { log: createOperatorLog({ level, write: (line) => lines.push(line) }), lines };
}

describe("operator log", () => {
  it("writes one JSON object per line with time, level, msg and fields", () => {
    const { log, lines } = captured();
    log.child({ hostId: "host_1" }).info("connected", { hub: "hub.example:443" });
    expect(lines).toHaveLength(1);
    expect(lines[0]!.endsWith("\n")).toBe(true);
    const line = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(Object.keys(line)).toEqual(["time", "level", "msg", "hostId", "hub"]);
    expect(line).toMatchObject({ level: "info", msg: "connected", hostId: "host_1", hub: "hub.example:443" });
    expect(Number.isNaN(Date.parse(line.time as string))).toBe(false);
  });

  it("skips lines below its level", () => {
    const { log, lines } = captured("warn");
    log.debug("a");
    log.info("b");
    log.warn("c");
    log.error("d");
    expect(lines.map((line) => (JSON.parse(line) as { msg: string }).msg)).toEqual(["c", "d"]);
  });

  it("never writes an install key, wherever it appears", () => {
    const { log, lines } = captured("debug");
    log.info(`key ${KEY} in the message`);
    log.warn("in a field", { note: `x${KEY}y`, nested: { deeper: [KEY] } });
    log.error("in an error", { error: new Error(`bad ${KEY}`, { cause: new Error(KEY) }) });
    log.info("in a field named for it", { installKey: "anything at all", key: 1234 });
    const all = lines.join("");
    expect(all).not.toContain(KEY);
    expect(all).not.toContain("secret_KEY");
    expect(all).not.toContain("anything at all");
    expect(all).toContain("opk_[redacted]");
  });

  it("never writes the token of a client access URL", () => {
    const { log, lines } = captured();
    log.info("url", { url: "wss://hub.example/client/hubs/discoparrot?access_token=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJob3N0In0.c2lnbmF0dXJlMTIz&x=1" });
    expect(lines[0]).toContain("access_token=[redacted]&x=1");
    expect(lines[0]).not.toContain("eyJ");
  });

  it("writes errors as name, message and cause", () => {
    const { log, lines } = captured();
    const error = Object.assign(new Error("outer", { cause: new Error("inner") }), { code: "ECONNRESET" });
    log.error("failed", { error });
    expect((JSON.parse(lines[0]!) as { error: unknown }).error).toEqual({ name: "Error", message: "outer", code: "ECONNRESET", cause: { name: "Error", message: "inner" } });
  });
});
