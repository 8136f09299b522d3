import { describe, expect, it } from "vitest";
import { filtersFromSearch, hasFilters, searchWithFilters } from "./run-filters-url";

const host = "host_abcdefghij0123456789";

describe("the runs list's filters in the URL", () => {
  it("reads back what it wrote, keeping other parameters", () => {
    const query = searchWithFilters(new URLSearchParams("tab=x"), { status: "idle", hostId: host, q: "flaky test" });
    expect(query).toBe(`tab=x&status=idle&host=${host}&q=flaky+test`);
    expect(filtersFromSearch(new URLSearchParams(query))).toEqual({ status: "idle", hostId: host, q: "flaky test" });
  });

  it("drops a value the server would refuse and keeps the rest", () => {
    expect(filtersFromSearch(new URLSearchParams("status=exploded&host=managed&person=nobody&q=%20%20"))).toEqual({ hostId: "managed" });
  });

  it("clears a filter set to nothing, and says when none is set", () => {
    expect(searchWithFilters(new URLSearchParams("status=idle&q=a"), { q: "a" })).toBe("q=a");
    expect(hasFilters({})).toBe(false);
    expect(hasFilters({ q: "a" })).toBe(true);
  });
});
