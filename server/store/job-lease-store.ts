import { CONTAINERS, type TJobLease, ZJobLease } from "@/prisma-free-schema";
import { leaseRows } from "./lease-rows";
import type { Store } from "./store";

/** Recurring jobs' leases (server/scheduler/schedule.ts): one row per job in `system`, partitioned by its id. */
export function jobLeaseStore(store: Store) {
  return leaseRows<TJobLease>(store, CONTAINERS.system, (value) => ZJobLease.parse(value), (row) => row.id);
}
