import type Docker from "dockerode";
import { SANDBOX_CREATE_FAILURES } from "@/prisma-free-schema";
import { CommandError } from "../shared/command-error";
import { isNotFound } from "./engine-errors";

/** The engine's own words are kept short: enough to act on, never a page of engine output. */
const MAX_ENGINE_WORDS = 300;

/**
 * Makes sure `image` is on the engine. The operator never pulls: a profile editor chooses the
 * image, and a pull would let them send the customer's engine to any registry or internal
 * address (seed 004 promises a short, known egress list). So an image the host lacks is
 * `image_not_found`, with a sentence that names it and says how to put it there, and the run
 * page says more than "could not be started".
 */
export async function ensureImage(docker: Docker, image: string): Promise<void> {
  if (await present(docker, image)) return;
  throw new CommandError(SANDBOX_CREATE_FAILURES.imageNotFound, imageMissing(image, "the operator does not pull images by itself"));
}

export function imageMissing(image: string, why: string): string {
  return `The image ${image} is not on the host (${why}). Pull or load it on the host (docker pull ${image}), or change the profile's image and tag.`;
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
