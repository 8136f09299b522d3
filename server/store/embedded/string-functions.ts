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

function withIgnoreCase(name: string, test: StringTest) {
  return (...args: unknown[]): boolean | undefined => {
    // Azure refuses a call with too few or too many arguments as a bad query (400), as the engine does for its own functions.
    if (args.length < 2 || args.length > 3) throw new SyntaxError(`The ${name} function requires 2 or 3 argument(s)`);
    const [text, part, ignoreCase] = args;
    if (typeof text !== "string" || typeof part !== "string") return undefined;
    if (ignoreCase !== undefined && typeof ignoreCase !== "boolean") return undefined;
    return ignoreCase ? test(text.toLowerCase(), part.toLowerCase()) : test(text, part);
  };
}

// `require`, not `import *`: a bundler's namespace object for a CommonJS module has getters only,
// and the functions must be replaced on the module's own exports.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const builtins = require("@zeit/cosmosdb-query/lib/builtin-functions.js") as Record<string, unknown>;
// The engine's own SyntaxError, so the store answers a malformed call as it answers any bad query.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { SyntaxError } = require("@zeit/cosmosdb-query/lib/parser.js") as { SyntaxError: new (message: string) => Error };
const PATCHED = Symbol.for("discoparrot.embedded.string-functions");

export function installStringFunctions(): void {
  const marker = builtins as unknown as Record<symbol, boolean>;
  if (marker[PATCHED]) return;
  marker[PATCHED] = true;
  builtins.CONTAINS = withIgnoreCase("CONTAINS", (text, part) => text.includes(part));
  builtins.STARTSWITH = withIgnoreCase("STARTSWITH", (text, part) => text.startsWith(part));
  builtins.ENDSWITH = withIgnoreCase("ENDSWITH", (text, part) => text.endsWith(part));
}
