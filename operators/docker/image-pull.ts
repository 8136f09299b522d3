import type Docker from "dockerode";
import { SANDBOX_CREATE_FAILURES } from "@/prisma-free-schema";
import { CommandError } from "../shared/command-error";
import { isNotFound } from "./engine-errors";

/** Below the platform's create wait (60 s), so a slow pull still ends in a reason rather than a timeout. */
export const PULL_TIMEOUT_MS = 45_000;
/** The engine's own words are kept short: enough to act on, never a page of registry output. */
const MAX_ENGINE_WORDS = 300;

/**
 * Makes sure `image` is on the engine, pulling it when it is not. When it cannot be had, the
 * refusal is `image_not_found` with a sentence for the person that names the image and says what
 * the engine answered (a registry that cannot be reached, a tag that does not exist, a login it
 * wants), so the run page says more than "could not be started".
 */
export async function ensureImage(docker: Docker, image: string, timeoutMs = PULL_TIMEOUT_MS): Promise<void> {
  if (await present(docker, image)) return;
  let why: string | undefined;
  try {
    why = await pull(docker, image, timeoutMs);
  } catch (error) {
    why = (error as { name?: string } | null)?.name === "AbortError" || (error as { name?: string } | null)?.name === "TimeoutError" ? `no answer within ${Math.round(timeoutMs / 1000)} s` : engineWords(error);
  }
  if (!why && (await present(docker, image))) return;
  throw new CommandError(SANDBOX_CREATE_FAILURES.imageNotFound, imageMissing(image, why ?? "the engine finished the pull without it"));
}

export function imageMissing(image: string, why: string): string {
  return `The image ${image} is not on the host and could not be pulled: ${why}. Check the profile's image and tag, and that the host can reach its registry (or load the image onto the host).`;
}

/** The sentence for an engine that would not create or start the container. */
export function engineRefused(error: unknown): CommandError {
  return new CommandError(SANDBOX_CREATE_FAILURES.engineRefused, `The host's Docker engine refused the container: ${engineWords(error)}.`);
}

async function present(docker: Docker, image: string): Promise<boolean> {
  try {
    await docker.getImage(image).inspect();
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw engineRefused(error);
  }
}

/** Whether `image` is on the engine; false too when the engine cannot say. */
export function imagePresent(docker: Docker, image: string): Promise<boolean> {
  return present(docker, image).catch(() => false);
}

/** Pulls `image`; the engine's reason when the pull reported an error in its progress stream, else undefined. */
async function pull(docker: Docker, image: string, timeoutMs: number): Promise<string | undefined> {
  const signal = AbortSignal.timeout(timeoutMs);
  const stream = (await docker.pull(image, { abortSignal: signal })) as NodeJS.ReadableStream;
  const events = await new Promise<{ error?: string; errorDetail?: { message?: string } }[]>((resolve, reject) => {
    docker.modem.followProgress(stream, (error: Error | null, output: { error?: string; errorDetail?: { message?: string } }[]) => (error ? reject(error) : resolve(output)));
  });
  const failed = events.find((event) => event.error || event.errorDetail?.message);
  return failed ? tidy(failed.errorDetail?.message ?? failed.error ?? "") : undefined;
}

/**
 * What the engine said, without dockerode's "(HTTP code 500) server error - " wrapper or a JSON
 * envelope; cut to a readable length. (Secret-shaped words are redacted again from every reply.)
 */
export function engineWords(error: unknown): string {
  const json = (error as { json?: { message?: unknown } } | null)?.json;
  const raw = typeof json?.message === "string" ? json.message : error instanceof Error ? error.message : String(error);
  return tidy(raw.replace(/^\(HTTP code \d+\)[^-]*- /, ""));
}

function tidy(words: string): string {
  const oneLine = words.replace(/\s+/g, " ").trim().replace(/[.\s]+$/, "");
  if (!oneLine) return "it gave no reason";
  return oneLine.length > MAX_ENGINE_WORDS ? `${oneLine.slice(0, MAX_ENGINE_WORDS - 1)}…` : oneLine;
}
