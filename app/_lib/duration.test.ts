import { describe, expect, it } from "vitest";
import { formatComputeTime, formatDuration } from "./duration";

describe("formatDuration", () => {
  it("picks the unit a person would say", () => {
    expect(formatDuration(850)).toBe("850 ms");
    expect(formatDuration(12_400)).toBe("12 s");
    expect(formatDuration(184_000)).toBe("3 min 4 s");
    expect(formatDuration(180_000)).toBe("3 min");
    expect(formatDuration(7_500_000)).toBe("2 h 5 min");
  });
});

describe("formatComputeTime", () => {
  it("shows minutes under an hour, then hours:minutes", () => {
    expect(formatComputeTime(0)).toBe("0 min");
    expect(formatComputeTime(20)).toBe("Under 1 min");
    expect(formatComputeTime(720)).toBe("12 min");
    expect(formatComputeTime(3 * 3600 + 5 * 60)).toBe("3:05 h");
    // Hours in the reader's grouping when the page passes their number format.
    expect(formatComputeTime(1234 * 3600, (hours) => hours.toLocaleString("de-DE"))).toBe("1.234:00 h");
  });
});
