import type { Store } from "../store/store";
import { type RecurringJob, Schedule } from "./schedule";

const SCHEDULE_KEY = Symbol.for("discoparrot.schedule");
type ScheduleHolder = { [SCHEDULE_KEY]?: Schedule };

/**
 * Starts this process's schedule with `jobs`, once: kept on globalThis because Next.js may load
 * this module in more than one bundle, and a process has one schedule.
 */
export function startProcessSchedule(store: Store, jobs: RecurringJob[]): Schedule {
  const holder = globalThis as ScheduleHolder;
  if (holder[SCHEDULE_KEY]) return holder[SCHEDULE_KEY];
  const schedule = new Schedule(store);
  for (const job of jobs) schedule.add(job);
  schedule.start();
  holder[SCHEDULE_KEY] = schedule;
  return schedule;
}
