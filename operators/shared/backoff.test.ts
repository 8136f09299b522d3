import { describe, expect, it } from "vitest";
import { Backoff } from "./backoff";

describe("Backoff", () => {
  it("starts at a quarter second and doubles up to five seconds", () => {
    const backoff = new Backoff({ random: () => 0.5 });
    expect(Array.from({ length: 7 }, () => backoff.next())).toEqual([250, 500, 1000, 2000, 4000, 5000, 5000]);
  });

  it("starts short again after a reset", () => {
    const backoff = new Backoff({ random: () => 0.5 });
    for (let attempt = 0; attempt < 10; attempt++) backoff.next();
    backoff.reset();
    expect(backoff.next()).toBe(250);
  });

  it("jitters each delay by up to a fifth either way, never past the cap", () => {
    const low = new Backoff({ random: () => 0 });
    const high = new Backoff({ random: () => 0.999999 });
    expect([low.next(), low.next()]).toEqual([200, 400]);
    expect([high.next(), high.next()]).toEqual([300, 600]);
    for (let attempt = 0; attempt < 100; attempt++) expect(high.next()).toBeLessThanOrEqual(5000);
  });
});
