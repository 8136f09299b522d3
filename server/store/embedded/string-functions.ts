/**
 * Cosmos DB's CONTAINS, STARTSWITH and ENDSWITH take an optional third argument, ignore case
 * (https://learn.microsoft.com/azure/cosmos-db/nosql/query/contains); the embedded engine
 * (@zeit/cosmosdb-query 0.7.2) knows only the two-argument forms and refuses the third as a
 * syntax error. These give the documented answer: undefined when either string is not a string
 * or the flag is given and not a boolean (so the row is left out, as Azure leaves it out), and a
 * comparison of both sides lower-cased when the flag is true.
 *
 * The engine's own executor and query-executor.ts read the functions from this one module object
 * (one copy in Node and in the esbuild bundle alike), so replacing them here serves both paths.
 */
type StringTest = (text: string, part: string) => boolean;

function withIgnoreCase(test: StringTest) {
  return (text: unknown, part: unknown, ignoreCase?: unknown): boolean | undefined => {
    if (typeof text !== "string" || typeof part !== "string") return undefined;
    if (ignoreCase !== undefined && typeof ignoreCase !== "boolean") return undefined;
    return ignoreCase ? test(text.toLowerCase(), part.toLowerCase()) : test(text, part);
  };
}

// `require`, not `import *`: a bundler's namespace object for a CommonJS module has getters only,
// and the functions must be replaced on the module's own exports.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const builtins = require("@zeit/cosmosdb-query/lib/builtin-functions.js") as Record<string, unknown>;
const PATCHED = Symbol.for("discoparrot.embedded.string-functions");

export function installStringFunctions(): void {
  const marker = builtins as unknown as Record<symbol, boolean>;
  if (marker[PATCHED]) return;
  marker[PATCHED] = true;
  builtins.CONTAINS = withIgnoreCase((text, part) => text.includes(part));
  builtins.STARTSWITH = withIgnoreCase((text, part) => text.startsWith(part));
  builtins.ENDSWITH = withIgnoreCase((text, part) => text.endsWith(part));
}
