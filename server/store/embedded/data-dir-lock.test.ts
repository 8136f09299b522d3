import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { acquireDataDirLock, lockLine } from "./data-dir-lock";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dp-lock-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("the embedded store's DATA_DIR lock", () => {
  it("refuses a second holder in this process, and is free again once released", () => {
    const release = acquireDataDirLock(path.join(dir, "one"));
    expect(() => acquireDataDirLock(path.join(dir, "one"))).toThrow(/is in use by another Disco Parrot store \(pid \d+\)/);
    release();
    acquireDataDirLock(path.join(dir, "one"))();
  });

  it("takes over a lock whose pid is alive but started at another time: a restarted container's pid 1", () => {
    const place = path.join(dir, "restarted");
    fs.mkdirSync(place, { recursive: true });
    const [, started] = lockLine(process.pid).split(" ");
    expect(started).toBeDefined(); // Linux: /proc tells when a process started
    fs.writeFileSync(path.join(place, "LOCK"), `${process.pid} ${Number(started) - 1}`);
    const release = acquireDataDirLock(place);
    expect(fs.readFileSync(path.join(place, "LOCK"), "utf8")).toBe(lockLine(process.pid));
    release();
  });

  it("takes over a lock of a process that is gone, and keeps refusing for an old-style lock of a live one", () => {
    const gone = path.join(dir, "gone");
    fs.mkdirSync(gone, { recursive: true });
    fs.writeFileSync(path.join(gone, "LOCK"), "999999999");
    acquireDataDirLock(gone)();
    const live = path.join(dir, "live");
    fs.mkdirSync(live, { recursive: true });
    fs.writeFileSync(path.join(live, "LOCK"), String(process.pid));
    expect(() => acquireDataDirLock(live)).toThrow(/is in use/);
  });
});
