import { describe, expect, it } from "vitest";
import { RecentCopies } from "./recent-copies";

describe("recent copies", () => {
  it("gives a copy back for as long as it is trusted, counted from when its read began", () => {
    const copies = new RecentCopies<string>(1_000);
    copies.keep("a", "v1", 10_000);
    expect(copies.get("a", 10_999)).toBe("v1");
    expect(copies.get("a", 11_000)).toBeUndefined();
  });

  it("never lets a read that began before a forget, or before a newer copy, bring an older copy back", () => {
    const copies = new RecentCopies<string>(1_000);
    copies.keep("a", "newer", 10_500);
    copies.keep("a", "older", 10_400);
    expect(copies.get("a", 10_600)).toBe("newer");
    // Ended here at 10_700; a read that started at 10_650 finishes afterwards.
    copies.forget("a", 10_700);
    copies.keep("a", "stale", 10_650);
    expect(copies.get("a", 10_800)).toBeUndefined();
    copies.keep("a", "fresh", 10_750);
    expect(copies.get("a", 10_800)).toBe("fresh");
  });

  it("holds at most its bound, forgetting the oldest first", () => {
    const copies = new RecentCopies<number>(1_000, 2);
    copies.keep("a", 1, 100);
    copies.keep("b", 2, 100);
    copies.keep("c", 3, 100);
    expect([copies.get("a", 200), copies.get("b", 200), copies.get("c", 200)]).toEqual([undefined, 2, 3]);
  });
});
