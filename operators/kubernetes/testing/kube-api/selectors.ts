import { apiErrors } from "./api-errors";
import type { KubeObject } from "./object-store";

/**
 * `labelSelector` and `fieldSelector` as apimachinery parses them (k8s.io/apimachinery/pkg/labels,
 * .../fields): comma-separated requirements that must all hold.
 * https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors
 */
export type ObjectMatcher = (object: KubeObject) => boolean;

type LabelRequirement = (labels: Record<string, string>) => boolean;

export function parseLabelSelector(selector: string | null): ObjectMatcher {
  const requirements = splitRequirements(selector ?? "").map(parseLabelRequirement);
  return (object) => requirements.every((requirement) => requirement(object.metadata.labels ?? {}));
}

/** Splits on commas outside parentheses: `a in (x,y),b` is two requirements. */
function splitRequirements(selector: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = "";
  for (const char of selector) {
    if (char === "(") depth++;
    if (char === ")") depth--;
    if (char === "," && depth === 0) {
      parts.push(current);
      current = "";
    } else current += char;
  }
  parts.push(current);
  return parts.map((part) => part.trim()).filter((part) => part !== "");
}

function parseLabelRequirement(text: string): LabelRequirement {
  const set = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(text);
  if (set) {
    const [, key = "", operator, list = ""] = set;
    const values = new Set(list.split(",").map((value) => value.trim()));
    return operator === "in" ? (labels) => key in labels && values.has(labels[key]!) : (labels) => !(key in labels) || !values.has(labels[key]!);
  }
  const comparison = /^([^=!<>\s]+)\s*(==|=|!=|<|>)\s*([^=!<>\s]*)$/.exec(text);
  if (comparison) {
    const [, key = "", operator, value = ""] = comparison;
    if (operator === "!=") return (labels) => labels[key] !== value;
    if (operator === "<" || operator === ">") {
      const bound = Number(value);
      if (!Number.isInteger(bound)) throw unparsable(text, `for 'Gt', 'Lt' operators, the value must be an integer`);
      return (labels) => key in labels && (operator === "<" ? Number(labels[key]) < bound : Number(labels[key]) > bound);
    }
    return (labels) => labels[key] === value;
  }
  const exists = /^(!?)\s*([^=!<>\s(),]+)$/.exec(text);
  if (exists) {
    const [, negated, key = ""] = exists;
    return negated ? (labels) => !(key in labels) : (labels) => key in labels;
  }
  throw unparsable(text, "found unexpected token");
}

function unparsable(text: string, why: string) {
  return apiErrors.badRequest(`unable to parse requirement: ${why} in "${text}"`);
}

/**
 * A field selector over the fields a resource type's registry exposes; any other field is refused,
 * as the real server refuses it.
 */
export function parseFieldSelector(selector: string | null, supportedFields: string[]): ObjectMatcher {
  const requirements = splitRequirements(selector ?? "").map((text) => {
    const match = /^([^=!\s]+)\s*(==|=|!=)\s*(.*)$/.exec(text);
    if (!match) throw apiErrors.badRequest(`invalid selector: '${selector}'; can't understand '${text}'`);
    const [, field = "", operator, value = ""] = match;
    if (!supportedFields.includes(field)) throw apiErrors.badRequest(`field label not supported: ${field}`);
    return (object: KubeObject) => (fieldValue(object, field) === value) === (operator !== "!=");
  });
  return (object) => requirements.every((requirement) => requirement(object));
}

/** A dotted path's value as the selector compares it: a string, "" when absent. */
function fieldValue(object: KubeObject, path: string): string {
  let value: unknown = object;
  for (const segment of path.split(".")) value = value && typeof value === "object" ? (value as Record<string, unknown>)[segment] : undefined;
  return value === undefined || value === null ? "" : String(value);
}
