import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { jobLeaseId } from "@/prisma-free-schema";
import { jobLeaseStore } from "../store/job-lease-store";
import type { Store } from "../store/store";
import { openTestStore, type TestStore } from "../testing/test-store";
import { type RecurringJob, Schedule } from "./schedule";

let store: TestStore;
beforeAll(async () => {
  store = await openTestStore();
});
afterAll(() => store.destroy());

const EVERY_MS = 40;
const LEASE_MS = 300;

/** A job that records which schedule (process) ran each pass. */
function countingJob(name: string, runs: string[], holderOf: () => string, pass: () => Promise<void> = async () => undefined): RecurringJob {
  return {
    name,
    everyMs: EVERY_MS,
    run: async () => {
      runs.push(holderOf());
      await pass();
    },
  };
}

/** Two processes sharing the store, each with its own schedule and the same job. */
function twoProcesses(name: string, pass?: () => Promise<void>) {
  const runs: string[] = [];
  const schedules = [new Schedule(store, { leaseMs: () => LEASE_MS }), new Schedule(store, { leaseMs: () => LEASE_MS })];
  for (const schedule of schedules) schedule.add(countingJob(name, runs, () => schedule.holder, pass));
  return { runs, schedules };
}

describe("the schedule", () => {
  it("runs a job in exactly one of two processes sharing the store, pass after pass", async () => {
    const { runs, schedules } = twoProcesses("only-one");
    for (const schedule of schedules) schedule.start();
    await vi.waitFor(() => expect(runs.length).toBeGreaterThanOrEqual(10), { timeout: 5_000 });
    expect(new Set(runs).size).toBe(1);
    expect(schedules.filter((schedule) => schedule.holds("only-one"))).toHaveLength(1);
    await Promise.all(schedules.map((schedule) => schedule.stop()));
  });

  it("never runs a job's passes at once in two processes, even when a pass outlasts its interval and its lease", async () => {
    let inPass = 0;
    let most = 0;
    const { runs, schedules } = twoProcesses("long-passes", async () => {
      inPass += 1;
      most = Math.max(most, inPass);
      // Longer than the lease: the pass renews it as it goes.
      await sleep(LEASE_MS * 1.5);
      inPass -= 1;
    });
    for (const schedule of schedules) schedule.start();
    await vi.waitFor(() => expect(runs.length).toBeGreaterThanOrEqual(4), { timeout: 10_000 });
    expect(most).toBe(1);
    await Promise.all(schedules.map((schedule) => schedule.stop()));
  });

  it("hands a job to another process once its holder dies (its lease lapses), and at once when the holder stops", async () => {
    const runs: string[] = [];
    // The first process's way to the store, cut when it "dies": it renews nothing from then on.
    let dead = false;
    const itsStore: Store = { ...store, container: (definition) => (dead ? Promise.reject(new Error("this process is gone")) : store.container(definition)) };
    const first = new Schedule(itsStore, { leaseMs: () => LEASE_MS });
    first.add(countingJob("taken-over", runs, () => first.holder));
    const second = new Schedule(store, { leaseMs: () => LEASE_MS });
    second.add(countingJob("taken-over", runs, () => second.holder));
    first.start();
    await vi.waitFor(() => expect(runs).toContain(first.holder));
    second.start();
    await sleep(EVERY_MS * 3);
    expect(runs).not.toContain(second.holder);
    dead = true;
    const diedAt = Date.now();
    await vi.waitFor(() => expect(runs).toContain(second.holder), { timeout: 5_000 });
    expect(Date.now() - diedAt).toBeGreaterThanOrEqual(LEASE_MS - EVERY_MS * 2);
    const id = jobLeaseId("taken-over");
    expect(await jobLeaseStore(store).read(id, id)).toMatchObject({ holder: second.holder, job: "taken-over" });

    // A third process waits while the second holds the job; the second stops cleanly and gives the
    // lease up, so the job moves within a tick or two, not a lease's length.
    const third = new Schedule(store, { leaseMs: () => LEASE_MS });
    third.add(countingJob("taken-over", runs, () => third.holder));
    third.start();
    await sleep(EVERY_MS * 3);
    expect(runs).not.toContain(third.holder);
    const stoppedAt = Date.now();
    await second.stop();
    await vi.waitFor(() => expect(runs).toContain(third.holder), { timeout: 5_000 });
    expect(Date.now() - stoppedAt).toBeLessThan(LEASE_MS);
    await Promise.all([first.stop(), third.stop()]);
  });

  it("does not let a pass that never returns hold the job for ever: past its longest it is told to stop, and the job moves", async () => {
    const runs: string[] = [];
    const stuck = new Schedule(store, { leaseMs: () => LEASE_MS });
    let told = false;
    stuck.add({
      name: "stuck-pass",
      everyMs: EVERY_MS,
      maxPassMs: 500,
      run: (signal) => {
        runs.push(stuck.holder);
        signal.addEventListener("abort", () => (told = true));
        return new Promise(() => undefined);
      },
    });
    const other = new Schedule(store, { leaseMs: () => LEASE_MS });
    other.add(countingJob("stuck-pass", runs, () => other.holder));
    stuck.start();
    await vi.waitFor(() => expect(runs).toEqual([stuck.holder]));
    other.start();
    await sleep(400);
    expect(runs).toEqual([stuck.holder]);
    await vi.waitFor(() => expect(runs).toContain(other.holder), { timeout: 5_000 });
    expect(told).toBe(true);
    await other.stop();
  });

  it("goes on running a job alone in its process after a pass that never returned overran", async () => {
    const schedule = new Schedule(store, { leaseMs: () => LEASE_MS });
    let passes = 0;
    schedule.add({
      name: "overran-alone",
      everyMs: EVERY_MS,
      maxPassMs: 300,
      run: () => {
        passes += 1;
        // The first pass hangs for ever; the ones after it return.
        return passes === 1 ? new Promise(() => undefined) : Promise.resolve();
      },
    });
    schedule.start();
    await vi.waitFor(() => expect(passes).toBeGreaterThanOrEqual(3), { timeout: 5_000 });
    await schedule.stop();
  });

  it("keeps running a job whose pass fails, and refuses a job name a lease id cannot carry", async () => {
    const schedule = new Schedule(store, { leaseMs: () => LEASE_MS });
    let attempts = 0;
    schedule.add({
      name: "fails-sometimes",
      everyMs: EVERY_MS,
      run: async () => {
        attempts += 1;
        throw new Error("this pass failed");
      },
    });
    schedule.start();
    await vi.waitFor(() => expect(attempts).toBeGreaterThanOrEqual(3), { timeout: 5_000 });
    await schedule.stop();
    expect(() => schedule.add({ name: "Not A Name", everyMs: 1000, run: async () => undefined })).toThrow(/lower-case words/);
  });
});
