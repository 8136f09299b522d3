import { describe, expect, it } from "vitest";
import { secondsPerDay } from "./meter-sandbox";

describe("secondsPerDay", () => {
  it("splits a span at UTC midnights and loses no second", () => {
    const split = secondsPerDay(new Date("2026-11-21T23:59:00Z"), new Date("2026-11-23T00:01:30Z"));
    expect(split).toEqual([
      ["2026-11-21", 60],
      ["2026-11-22", 86_400],
      ["2026-11-23", 90],
    ]);
  });

  it("gives nothing for an empty or backwards span", () => {
    expect(secondsPerDay(new Date("2026-11-22T10:00:00Z"), new Date("2026-11-22T10:00:00Z"))).toEqual([]);
    expect(secondsPerDay(new Date("2026-11-22T10:00:00Z"), new Date("2026-11-22T09:00:00Z"))).toEqual([]);
  });
});
