import { type ChildProcess, spawn } from "node:child_process";
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

  it("lets a platform started as PID 1 of a fresh PID namespace start again after a kill -9, and still refuses a second live one", async () => {
    const place = path.join(dir, "pid-one");
    const fixture = path.join(__dirname, "data-dir-lock.fixture.ts");
    // As a container runtime starts it: PID 1 of its own namespace (with its own /proc).
    const asPidOne = () => spawn("unshare", ["--pid", "--fork", "--mount-proc", process.execPath, "--import", "tsx", fixture, place], { stdio: ["ignore", "pipe", "inherit"] });
    const said = (child: ChildProcess) =>
      new Promise<string>((resolve) => {
        let out = "";
        child.stdout!.on("data", (chunk: Buffer) => {
          out += chunk.toString();
          if (out.includes("\n")) resolve(out.trim());
        });
        child.once("exit", () => resolve(out.trim()));
      });
    // kill -9 of the platform itself, the namespace's PID 1 (unshare's child): the namespace dies with it, and unshare exits.
    const stop = (child: ChildProcess) =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        const [pidOne] = fs.readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, "utf8").trim().split(/\s+/).map(Number);
        process.kill(pidOne!, "SIGKILL");
      });

    const first = asPidOne();
    expect(await said(first)).toBe("locked as pid 1");
    // A second process on the same folder while the first lives: refused.
    const second = asPidOne();
    expect(await said(second)).toMatch(/^refused: .*is in use by another Disco Parrot store/);
    // kill -9, then the same start again: it waits out the dead lock's heartbeat, and starts.
    await stop(first);
    const again = asPidOne();
    expect(await said(again)).toBe("locked as pid 1");
    await stop(again);
  }, 60_000);

  it("lets only one of two starts at once take over a dead lock from another namespace", async () => {
    const place = path.join(dir, "race");
    fs.mkdirSync(place, { recursive: true });
    // A lock from another PID namespace, untouched for longer than a holder would leave it.
    fs.writeFileSync(path.join(place, "LOCK"), "1 100 pid:[1]");
    const long = new Date(Date.now() - 60_000);
    fs.utimesSync(path.join(place, "LOCK"), long, long);
    const start = () => spawn(process.execPath, ["--import", "tsx", path.join(__dirname, "data-dir-lock.fixture.ts"), place], { stdio: ["ignore", "pipe", "inherit"] });
    const starts = [start(), start()];
    const said = await Promise.all(starts.map((child) => new Promise<string>((resolve) => {
      let out = "";
      child.stdout!.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes("\n")) resolve(out.trim());
      });
      child.once("exit", () => resolve(out.trim()));
    })));
    expect(said.filter((line) => line.startsWith("locked"))).toHaveLength(1);
    expect(said.filter((line) => line.startsWith("refused"))).toHaveLength(1);
    for (const child of starts) child.kill("SIGKILL");
  }, 60_000);

  it("tells its holder when the lock no longer names it", async () => {
    const place = path.join(dir, "lost");
    let lost = false;
    const release = acquireDataDirLock(place, { onLost: () => (lost = true) });
    fs.writeFileSync(path.join(place, "LOCK"), "12345 1 pid:[1]");
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(lost).toBe(true);
    release();
    // Releasing a lock that names another holder leaves it alone.
    expect(fs.readFileSync(path.join(place, "LOCK"), "utf8")).toBe("12345 1 pid:[1]");
  });
});
