import cosmosQuery from "@zeit/cosmosdb-query";
import { describe, expect, it } from "vitest";
import { linearizeFromStep } from "./query-speedups";

const docs = Array.from({ length: 50 }, (_, i) => ({ id: `d${i}`, _rid: `r${i}`, name: `n${(i * 7) % 50}`, ws: i % 2 ? "a" : "b" }));

describe("linear FROM step", () => {
  it.each([
    "SELECT * FROM c ORDER BY c.name ASC",
    "SELECT * FROM c WHERE c.ws = @ws ORDER BY c.name DESC",
    "SELECT c.id FROM c WHERE STARTSWITH(c.name, @p)",
    "SELECT VALUE COUNT(1) FROM c",
    "SELECT * FROM hosts h WHERE h.ws = @ws",
  ])("rewrites %s and returns the same rows", (sql) => {
    const original = cosmosQuery(sql);
    const rewritten = linearizeFromStep(original.code);
    expect(rewritten).not.toBe(original.code);
    expect(rewritten).not.toContain("[...$");

    const fast = cosmosQuery(sql);
    (fast as unknown as { _code: string })._code = rewritten;
    const options = { parameters: [{ name: "@ws", value: "a" }, { name: "@p", value: "n1" }] };
    expect(fast.exec(docs, options)).toEqual(original.exec(docs, options));
  });
});
