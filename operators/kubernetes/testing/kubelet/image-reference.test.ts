import { describe, expect, it } from "vitest";
import { invalidImageNameMessage } from "./image-reference";

describe("image references", () => {
  it.each(["busybox", "busybox:1.36", "localhost/discoparrot/sandbox:test", "registry.example:5000/team/app@sha256:" + "a".repeat(64), "mcr.microsoft.com/azure-cli:2.61.0"])("accepts %s", (image) => {
    expect(invalidImageNameMessage(image)).toBeUndefined();
  });

  it("refuses uppercase names in the parser's words", () => {
    expect(invalidImageNameMessage("BUSYBOX")).toBe('Failed to apply default image tag "BUSYBOX": couldn\'t parse image reference "BUSYBOX": invalid reference format: repository name must be lowercase');
  });

  it.each(["Not/A Valid:image", "app:", "app::1", "-app", ""])("refuses %j", (image) => {
    expect(invalidImageNameMessage(image)).toMatch(/invalid reference format/);
  });
});
