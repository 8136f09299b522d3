import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { UrlFileGrants, writeAccessUrl } from "./url-file-grants";

/**
 * The sidecar's access URL file: a sidecar waiting out its backoff after the platform went away
 * hears at once that a restarted platform wrote it a fresh URL, rather than seconds later.
 */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dp-url-file-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("the access URL file", () => {
  it("says when the URL is replaced, not when another file in its folder changes, and stops when asked", async () => {
    const file = path.join(dir, "access-url");
    await writeAccessUrl(file, "ws://127.0.0.1:1/client/hubs/discoparrot?access_token=old");
    const grants = new UrlFileGrants(file);

    const stop = new AbortController();
    let heard = false;
    const changed = grants.changed(stop.signal).then(() => (heard = true));
    fs.writeFileSync(path.join(dir, "something-else"), "x");
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(heard).toBe(false);
    await writeAccessUrl(file, "ws://127.0.0.1:2/client/hubs/discoparrot?access_token=new");
    await changed;
    expect((await grants.fresh()).url).toBe("ws://127.0.0.1:2/client/hubs/discoparrot?access_token=new");

    const abandoned = new AbortController();
    const waiting = grants.changed(abandoned.signal);
    abandoned.abort();
    await expect(waiting).rejects.toBeDefined();
  });

  it("keeps a pushed URL its read-only file cannot take, and connects with whichever URL lapses later", async () => {
    const file = path.join(dir, "mounted-url");
    await writeAccessUrl(file, urlExpiringIn(60));
    const grants = new UrlFileGrants(file);
    // The file cannot be replaced, as in a Kubernetes Secret volume: writing beside it fails.
    fs.mkdirSync(path.join(dir, `.mounted-url.${process.pid}.tmp`));

    const pushed = urlExpiringIn(3600);
    expect(await grants.accept(pushed)).toEqual({ persisted: false });
    expect(fs.readFileSync(file, "utf8").trim()).not.toBe(pushed);
    expect((await grants.fresh()).url).toBe(pushed);

    // The operator's patch lands later with an even newer URL: the file wins now.
    const patched = urlExpiringIn(7200);
    fs.rmdirSync(path.join(dir, `.mounted-url.${process.pid}.tmp`));
    await writeAccessUrl(file, patched);
    expect((await grants.renew()).url).toBe(patched);
  });
});

/** A client access URL whose token lapses in `seconds`, shaped as the hub issues them (a JWT with `exp`). */
function urlExpiringIn(seconds: number): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const token = `${part({ alg: "HS256" })}.${part({ exp: Math.floor(Date.now() / 1000) + seconds })}.signature`;
  return `ws://127.0.0.1:1/client/hubs/discoparrot?access_token=${token}`;
}
