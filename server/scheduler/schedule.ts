import { randomUUID } from "node:crypto";
import { jobLeaseId, type TJobLease, ZJobName } from "@/prisma-free-schema";
import { log } from "../log";
import { within } from "../within";
import { jobLeaseStore } from "../store/job-lease-store";
import type { Store } from "../store/store";

/** Work that recurs: one pass of it, run every `everyMs` by whichever process holds its lease. */
export interface RecurringJob {
  /** Lower-case words joined by hyphens: the lease's id is `job:<name>`. */
  name: string;
  everyMs: number;
  /** The longest a pass keeps the job (default ten intervals, at least a minute): a pass stuck past it is told to stop and the job may move. */
  maxPassMs?: number;
  /** One pass; `signal` fires if the lease is lost or the pass overran: stop soon. */
  run(signal: AbortSignal): Promise<unknown>;
}

/** A job's lease lasts this many of its intervals: a holder may miss a run or two (a long pass, a pause) and keep it. */
const LEASE_INTERVALS = 3;
const MIN_LEASE_MS = 10_000;
const PASS_INTERVALS = 10;
const MIN_PASS_MS = 60_000;
/** How long `stop` waits for the passes under way before it lets go of the leases of those that ended. */
const STOP_GRACE_MS = 5_000;

export interface ScheduleOptions {
  /** How long a lease lasts past its last renewal; by default three of the job's intervals, at least 10 s. */
  leaseMs?: (job: RecurringJob) => number;
}

/**
 * The process's recurring jobs, each run under a lease held in the store (`job:<name>` in the
 * `system` container: holder, expiry, renewed by etag before every run), so however many
 * processes share the store, each job runs in exactly one of them at a time. A process that
 * dies stops renewing; another takes the job over once the lease has lapsed. A pass renews the
 * lease while it runs (and is told to stop if it is lost anyway); within a process a job's next
 * tick is timed from the end of its last pass, so passes never overlap there either. A pass that
 * never returns is told to stop past its longest, and the job is given up for a lease's length.
 */
export class Schedule {
  /** This process, as lease rows name it. */
  readonly holder = randomUUID();
  private readonly jobs = new Map<string, RecurringJob>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Each job's tick under way (claiming its lease, then running a pass). */
  private readonly ticks = new Map<string, Promise<void>>();
  private readonly running = new Set<string>();
  /** Jobs whose lease this process held at its last claim. */
  private readonly held = new Set<string>();
  private started = false;
  private stopped = false;

  constructor(
    private readonly store: Store,
    private readonly options: ScheduleOptions = {},
  ) {}

  add(job: RecurringJob): void {
    if (this.jobs.has(job.name)) throw new Error(`The job ${job.name} is scheduled already.`);
    ZJobName.parse(job.name);
    this.jobs.set(job.name, job);
    if (this.started) this.arm(job, job.everyMs);
  }

  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    // A first pass one interval after start, as before there was a schedule: a process just
    // started has not heard from anything yet (a host's check-in, say) and should not judge it.
    for (const job of this.jobs.values()) this.arm(job, job.everyMs);
  }

  /**
   * Stops ticking, waits a few seconds for the passes under way, and gives up the leases of the
   * jobs not still running, so other processes take them at once instead of when they lapse.
   */
  async stop(options: { graceMs?: number } = {}): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    await within(Promise.allSettled(this.ticks.values()), options.graceMs ?? STOP_GRACE_MS);
    await Promise.allSettled([...this.held].filter((name) => !this.running.has(name)).map((name) => this.release(name)));
    this.held.clear();
  }

  /** Whether this process held the job's lease at its last claim (tests and diagnostics). */
  holds(name: string): boolean {
    return this.held.has(name);
  }

  private arm(job: RecurringJob, delayMs: number): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      const tick = this.tick(job).finally(() => this.ticks.delete(job.name));
      this.ticks.set(job.name, tick);
    }, delayMs);
    timer.unref();
    this.timers.set(job.name, timer);
  }

  private async tick(job: RecurringJob): Promise<void> {
    let next = job.everyMs;
    try {
      if (!(await this.claim(job)) || this.stopped) return;
      // Renewed while the pass runs, so a long pass keeps its lease; lost, the pass is told to stop.
      const lost = new AbortController();
      const passEnds = Date.now() + (job.maxPassMs ?? Math.max(MIN_PASS_MS, job.everyMs * PASS_INTERVALS));
      const renewal = setInterval(() => {
        if (Date.now() > passEnds) {
          clearInterval(renewal);
          lost.abort();
          return;
        }
        this.claim(job)
          .then((held) => held || lost.abort())
          .catch((error: unknown) => log.warn("schedule.lease_unavailable", { job: job.name, error }));
      }, this.leaseMs(job) / LEASE_INTERVALS);
      renewal.unref();
      this.running.add(job.name);
      // A pass told to stop is no longer waited for, even if it never returns.
      const told = new Promise<void>((resolve) => lost.signal.addEventListener("abort", () => resolve(), { once: true }));
      try {
        await Promise.race([job.run(lost.signal), told]);
      } catch (error) {
        log.warn("schedule.job_failed", { job: job.name, error });
      } finally {
        clearInterval(renewal);
        this.running.delete(job.name);
      }
      // A pass stuck past its longest (an await that never returns): the job is given up for a
      // lease's length, so another process takes it; with none, this one runs it again after that.
      if (Date.now() > passEnds) {
        log.warn("schedule.pass_overran", { job: job.name });
        await this.release(job.name);
        next = this.leaseMs(job);
      }
    } catch (error) {
      // The store did not answer the claim: this tick is skipped, the next one asks again.
      log.warn("schedule.lease_unavailable", { job: job.name, error });
    } finally {
      this.arm(job, next);
    }
  }

  /** Gives up the job's lease if this process holds it. */
  private async release(name: string): Promise<void> {
    const leases = jobLeaseStore(this.store);
    const id = jobLeaseId(name);
    this.held.delete(name);
    const lease = await leases.read(id, id);
    if (lease?.holder === this.holder) await leases.deleteIfUnchanged(id, id, lease.etag);
  }

  /** Takes or renews the job's lease; false when another live process holds it (or won the race for it). */
  private async claim(job: RecurringJob): Promise<boolean> {
    const leases = jobLeaseStore(this.store);
    const id = jobLeaseId(job.name);
    const now = Date.now();
    const current = await leases.read(id, id);
    const mine = current?.holder === this.holder;
    if (current && !mine && Date.parse(current.expiresAt) > now) {
      this.held.delete(job.name);
      return false;
    }
    const lease: TJobLease = {
      id,
      type: "jobLease",
      job: job.name,
      holder: this.holder,
      expiresAt: new Date(now + this.leaseMs(job)).toISOString(),
      heldSince: mine ? current.heldSince : new Date(now).toISOString(),
    };
    const won = current ? await leases.tryReplace(lease, current.etag) : await leases.tryCreate(lease);
    if (won && !mine) log.info("schedule.job_taken", { job: job.name, holder: this.holder, from: current?.holder ?? null });
    if (won) this.held.add(job.name);
    else this.held.delete(job.name);
    return won;
  }

  private leaseMs(job: RecurringJob): number {
    return this.options.leaseMs?.(job) ?? Math.max(MIN_LEASE_MS, job.everyMs * LEASE_INTERVALS);
  }
}
