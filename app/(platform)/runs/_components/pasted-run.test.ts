import { describe, expect, it } from "vitest";
import { pastedRunId } from "./pasted-run";

const ID = "run_abcdefghij0123456789";

describe("pastedRunId", () => {
  it("finds the run in a pasted link, with or without the site, query or spaces", () => {
    expect(pastedRunId(`https://dp.example.com/runs/${ID}`)).toBe(ID);
    expect(pastedRunId(`  /runs/${ID}?workspace=ws_x  `)).toBe(ID);
    expect(pastedRunId(ID)).toBe(ID);
  });

  it("leaves words, other pages and malformed ids to the search", () => {
    expect(pastedRunId("npm test")).toBeUndefined();
    expect(pastedRunId(`https://dp.example.com/hosts/${ID}`)).toBeUndefined();
    expect(pastedRunId("/runs/run_SHORT")).toBeUndefined();
    expect(pastedRunId(`echo ${ID}`)).toBeUndefined();
  });
});
