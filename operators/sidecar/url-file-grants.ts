import { type FSWatcher, watch } from "node:fs";
import { readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { ExchangeUnavailableError } from "../shared/channel-errors";
import type { GrantSource } from "../shared/grant-source";
import type { Grant } from "../shared/key-exchange";

/**
 * The sidecar's client access URL, from the file whoever started the sandbox wrote
 * (`DISCOPARROT_ACCESS_URL_FILE`: the URL alone, surrounding whitespace ignored). It is read
 * again at every connect: the platform pushes a fresh URL (`token.refresh`) before the current
 * one lapses, `writeAccessUrl` puts it in the file, and the next reconnect picks it up. The
 * sidecar never renews by itself (it has no key), so grants never fall due here.
 */
export class UrlFileGrants implements GrantSource {
  readonly origin = { accessUrl: "file" };

  constructor(private readonly file: string) {}

  async fresh(): Promise<Grant> {
    return this.read();
  }

  async renew(): Promise<Grant> {
    return this.read();
  }

  forget(): void {
    // Nothing cached: every connect reads the file.
  }

  /** Resolves when the URL file is written or replaced (watched through its folder: it is replaced by a rename). */
  changed(signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      let watcher: FSWatcher;
      try {
        watcher = watch(path.dirname(this.file), { signal });
      } catch (error) {
        // No watching here (an odd filesystem): the backoff alone decides.
        reject(error as Error);
        return;
      }
      watcher.on("change", (event, name) => {
        // Replaced by a rename (writeAccessUrl), or, in a Kubernetes Secret volume, by the kubelet
        // renaming a new `..data` symlink over the one its files point through (a `change` of
        // `..data` comes first, from the group ownership set before the swap: the old URL still).
        if (name !== path.basename(this.file) && !(name === "..data" && event === "rename")) return;
        watcher.close();
        resolve();
      });
      watcher.on("error", (error) => {
        watcher.close();
        reject(error);
      });
      signal.addEventListener("abort", () => reject(signal.reason as Error), { once: true });
    });
  }

  private async read(): Promise<Grant> {
    let text: string;
    try {
      text = await readFile(this.file, "utf8");
    } catch (error) {
      // Not there yet (the provider writes it after starting us), or unreadable: retried with backoff.
      throw new ExchangeUnavailableError(`the access URL file cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})`);
    }
    const url = text.trim();
    if (!/^wss?:\/\//.test(url)) throw new ExchangeUnavailableError("the access URL file does not hold a ws:// or wss:// URL");
    return { url, expiresAt: tokenExpiry(url) ?? "unknown", renewAt: Infinity };
  }
}

/** Replaces the file's URL in one step (write beside it, then rename), readable by the sidecar's user only. */
export async function writeAccessUrl(file: string, url: string): Promise<void> {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  await writeFile(temporary, `${url}\n`, { mode: 0o600 });
  await rename(temporary, file);
}

/** The token's `exp`, for the log only; the URL is never logged. */
function tokenExpiry(url: string): string | undefined {
  try {
    const token = new URL(url).searchParams.get("access_token");
    const claims = JSON.parse(Buffer.from(token?.split(".")[1] ?? "", "base64url").toString("utf8")) as { exp?: unknown };
    return typeof claims.exp === "number" ? new Date(claims.exp * 1000).toISOString() : undefined;
  } catch {
    return undefined;
  }
}
