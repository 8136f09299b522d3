import { readFile } from "node:fs/promises";
import path from "node:path";
import { parseAllDocuments } from "yaml";

/**
 * The settings inside a downloaded operator bundle, as the environment the bundle would give the
 * operator: so `npm run operator -- --bundle <file>` runs with exactly what Docker or Kubernetes
 * would run it with. Two shapes, as the platform renders them:
 *
 * - a Compose file: `services.operator.environment`, plus the env file(s) its `env_file` names,
 *   beside it (KEY=value lines; the install key lives only there). As in Compose, `environment`
 *   wins over `env_file`.
 * - a Kubernetes manifest: every ConfigMap's `data` and Secret's `data` (base64) and `stringData`.
 *
 * Error messages name the file and the problem, never a value: the file holds the key.
 */
export async function readBundleEnv(bundlePath: string): Promise<Record<string, string>> {
  const documents = parseBundle(await readText(bundlePath), bundlePath);
  const compose = documents.find((document) => isRecord(document) && isRecord(document.services) && isRecord(document.services.operator));
  if (compose) return composeEnv(compose as { services: { operator: Record<string, unknown> } }, bundlePath);
  const manifests = documents.filter((document): document is Record<string, unknown> => isRecord(document) && (document.kind === "ConfigMap" || document.kind === "Secret"));
  if (manifests.length > 0) return kubernetesEnv(manifests);
  throw new Error(`${bundlePath} is not an operator bundle: it has neither a Compose "operator" service nor a Kubernetes ConfigMap or Secret`);
}

/** Compose env files: `KEY=value` lines, `#` comments, optional matching quotes around the value. */
export function parseEnvFile(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const equals = line.indexOf("=");
    // A bare NAME means "from the shell" in Compose; the operator takes the shell's env separately.
    if (equals <= 0) continue;
    let value = line.slice(equals + 1).trim();
    if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.endsWith(value[0])) value = value.slice(1, -1);
    env[line.slice(0, equals).trim()] = value;
  }
  return env;
}

async function composeEnv(compose: { services: { operator: Record<string, unknown> } }, composePath: string): Promise<Record<string, string>> {
  const { environment, env_file: envFile } = compose.services.operator;
  const env: Record<string, string> = {};
  for (const file of envFilePaths(envFile)) {
    // Compose resolves env files relative to the Compose file, not to the working directory.
    const resolved = path.resolve(path.dirname(composePath), file);
    Object.assign(env, parseEnvFile(await readText(resolved, `the env file named by ${path.basename(composePath)}`)));
  }
  Object.assign(env, composeEnvironment(environment));
  return env;
}

/** `env_file:` is a path, a list of paths, or a list of `{ path, required }`. */
function envFilePaths(envFile: unknown): string[] {
  const entries = Array.isArray(envFile) ? envFile : envFile === undefined ? [] : [envFile];
  return entries.flatMap((entry) => (typeof entry === "string" ? [entry] : isRecord(entry) && typeof entry.path === "string" ? [entry.path] : []));
}

/** `environment:` is a map or a list of `KEY=value`. */
function composeEnvironment(environment: unknown): Record<string, string> {
  if (Array.isArray(environment)) return parseEnvFile(environment.filter((item) => typeof item === "string").join("\n"));
  if (!isRecord(environment)) return {};
  return Object.fromEntries(Object.entries(environment).flatMap(([name, value]) => (value === null || value === undefined ? [] : [[name, String(value)]])));
}

function kubernetesEnv(manifests: Record<string, unknown>[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const manifest of manifests) {
    if (manifest.kind === "ConfigMap") Object.assign(env, strings(manifest.data));
    else {
      const encoded = strings(manifest.data);
      for (const [name, value] of Object.entries(encoded)) env[name] = Buffer.from(value, "base64").toString("utf8");
      // As the API server does: stringData is written over data.
      Object.assign(env, strings(manifest.stringData));
    }
  }
  return env;
}

function parseBundle(text: string, bundlePath: string): unknown[] {
  // YAML 1.1, as kubectl reads it (the bundles say so in a %YAML directive too).
  const documents = parseAllDocuments(text, { version: "1.1" });
  if (!Array.isArray(documents)) return [];
  for (const document of documents) {
    const [error] = document.errors;
    // The position and code only: yaml's own message quotes the offending line, which may be the key.
    if (error) throw new Error(`${bundlePath} is not valid YAML (${error.code} at line ${error.linePos?.[0].line ?? "?"})`);
  }
  return documents.map((document) => document.toJS() as unknown);
}

async function readText(file: string, what = "the bundle"): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    throw new Error(`cannot read ${what} ${file} (${(error as NodeJS.ErrnoException).code ?? "unreadable"})`);
  }
}

function strings(value: unknown): Record<string, string> {
  if (!isRecord(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
}

function isRecord(value: unknown): value is Record<string, any> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
