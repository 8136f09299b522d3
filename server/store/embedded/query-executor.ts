import * as aggregateModule from "@zeit/cosmosdb-query/lib/aggregate-functions.js";
import * as builtinModule from "@zeit/cosmosdb-query/lib/builtin-functions.js";
import * as helpersModule from "@zeit/cosmosdb-query/lib/helpers.js";
import type { Doc } from "./cosmosdb-server-internals";
import { engineSort } from "./engine-sort";

/**
 * Runs a parsed query the way the engine's own `exec` does (@zeit/cosmosdb-query 0.7.2,
 * executor.js), with two differences that change nothing in the answer:
 * - the query's JavaScript is compiled once per query, not on every run: a function made afresh
 *   each time starts cold and is never optimised, and the FROM and SELECT steps walk every
 *   document of the partition;
 * - ORDER BY uses engineSort, which gives the engine's sort's answer with less work.
 * The package (a dependency of @vercel/cosmosdb-server, whose version is pinned) is reached by
 * path for the same reason as in cosmosdb-server-internals.ts.
 */
export interface ParsedQuery {
  readonly code: string;
}

export interface ExecOptions {
  parameters?: { name: string; value: unknown }[];
  udf?: unknown;
  maxItemCount?: number | null;
  continuation?: unknown;
  compositeIndexes?: unknown;
}

type Compiled = (...args: unknown[]) => unknown;

function moduleObject(mod: unknown): Record<string, unknown> {
  const inner = (mod as { default?: unknown }).default;
  return (inner && typeof inner === "object" ? inner : mod) as Record<string, unknown>;
}

const aggregateFunctions = moduleObject(aggregateModule);
const builtinFunctions = moduleObject(builtinModule);
const helpers = { ...moduleObject(helpersModule), sort: engineSort };
const compiled = new WeakMap<ParsedQuery, { code: string; run: Compiled }>();

export function executeQuery(query: ParsedQuery, data: Doc[], { parameters, udf = {}, maxItemCount, continuation, compositeIndexes }: ExecOptions): unknown {
  const code = query.code;
  if (!code) throw new Error("Missing code");
  let entry = compiled.get(query);
  if (!entry || entry.code !== code) {
    // The engine's own way of turning the generated code into a function.
    // eslint-disable-next-line no-new-func
    entry = { code, run: new Function(`"use strict";return (${code})`)() as Compiled };
    compiled.set(query, entry);
  }
  const params: Record<string, unknown> = {};
  for (const { name, value } of parameters ?? []) params[name.slice(1)] = value;
  return entry.run(aggregateFunctions, builtinFunctions, data, helpers, udf, params, maxItemCount, continuation, compositeIndexes);
}
