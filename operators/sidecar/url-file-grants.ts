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
 * one lapses, `accept` keeps it and puts it in the file, and the next reconnect picks it up. The
 * sidecar never renews by itself (it has no key), so grants never fall due here.
 *
 * The pushed URL is also kept in memory, because the file cannot always take it: on Kubernetes
 * it lives in a read-only Secret volume, which only the operator changes (by patching the
 * Secret). A connect uses whichever of the two URLs lapses later, so neither a stale file nor a
 * stale push wins over a newer one.
 */
export class UrlFileGrants implements GrantSource {
  readonly origin = { accessUrl: "file" };
  private pushed: Grant | undefined;

  constructor(private readonly file: string) {}

  /** The platform's fresh URL: kept, and written to the file where the file can be written. */
  async accept(url: string): Promise<{ persisted: boolean }> {
    this.pushed = grantOf(url);
    try {
      await writeAccessUrl(this.file, url);
      return { persisted: true };
    } catch {
      // A read-only mount (Kubernetes Secret volume): memory holds it until the operator's patch arrives.
      return { persisted: false };
    }
  }

  async fresh(): Promise<Grant> {
    return this.current();
  }

  async renew(): Promise<Grant> {
    return this.current();
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

  private async current(): Promise<Grant> {
    const pushed = this.pushed;
    let fromFile: Grant;
    try {
      fromFile = await this.read();
    } catch (error) {
      if (pushed) return pushed;
      throw error;
    }
    if (!pushed) return fromFile;
    return expiryMs(pushed) > expiryMs(fromFile) ? pushed : fromFile;
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
    return grantOf(url);
  }
}

function grantOf(url: string): Grant {
  return { url, expiresAt: tokenExpiry(url) ?? "unknown", renewAt: Infinity };
}

/** A grant's expiry as a number to compare; an unknown one counts as oldest. */
function expiryMs(grant: Grant): number {
  const ms = Date.parse(grant.expiresAt);
  return Number.isNaN(ms) ? -Infinity : ms;
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
