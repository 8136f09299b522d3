import { apiErrors } from "./api-errors";
import { isObject, type Json } from "./merge-patches";

interface JsonPatchOperation {
  op: "add" | "remove" | "replace" | "move" | "copy" | "test";
  path: string;
  from?: string;
  value?: Json;
}

/** JSON Patch (RFC 6902), as `application/json-patch+json` bodies; pointers per RFC 6901. */
export function applyJsonPatch(target: unknown, operations: unknown): Json {
  if (!Array.isArray(operations)) throw apiErrors.badRequest("json: cannot unmarshal object into Go value of type jsonpatch.Patch");
  let document = structuredClone(target as Json);
  for (const operation of operations as JsonPatchOperation[]) {
    const path = parsePointer(operation.path);
    const existing = (tokens: string[], pointer: string) => {
      const value = valueAt(document, tokens);
      if (value === undefined) throw apiErrors.badRequest(`the server rejected our request due to an error in our request: ${operation.op} operation does not apply: doc is missing path: "${pointer}"`);
      return value;
    };
    if (operation.op === "test") {
      if (JSON.stringify(valueAt(document, path)) !== JSON.stringify(operation.value)) throw apiErrors.invalidPatch(`testing value ${operation.path} failed`);
    } else if (operation.op === "remove") {
      existing(path, operation.path);
      document = setAt(document, path, undefined);
    } else if (operation.op === "replace") {
      existing(path, operation.path);
      document = setAt(document, path, structuredClone(operation.value ?? null));
    } else if (operation.op === "add") document = setAt(document, path, structuredClone(operation.value ?? null), true);
    else {
      const from = parsePointer(operation.from ?? "");
      const value = structuredClone(existing(from, operation.from ?? ""));
      if (operation.op === "move") document = setAt(document, from, undefined);
      document = setAt(document, path, value, true);
    }
  }
  return document;
}

function parsePointer(pointer: string): string[] {
  return pointer === "" ? [] : pointer.slice(1).split("/").map((token) => token.replaceAll("~1", "/").replaceAll("~0", "~"));
}

function valueAt(document: Json, tokens: string[]): Json | undefined {
  let value: Json | undefined = document;
  for (const token of tokens) value = Array.isArray(value) ? value[Number(token)] : isObject(value) ? value[token] : undefined;
  return value;
}

/** Sets, or with `undefined` removes, the value at `tokens`; `insert` shifts array elements along, as "add" does. */
function setAt(document: Json, tokens: string[], value: Json | undefined, insert = false): Json {
  if (tokens.length === 0) return value ?? null;
  const parent = valueAt(document, tokens.slice(0, -1));
  const last = tokens.at(-1)!;
  if (Array.isArray(parent)) {
    const index = last === "-" ? parent.length : Number(last);
    if (value === undefined) parent.splice(index, 1);
    else parent.splice(index, insert ? 0 : 1, value);
  } else if (isObject(parent)) {
    if (value === undefined) delete parent[last];
    else parent[last] = value;
  } else throw apiErrors.badRequest(`the server rejected our request due to an error in our request: doc is missing path: "/${tokens.join("/")}"`);
  return document;
}
