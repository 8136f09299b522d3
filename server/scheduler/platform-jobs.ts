import { log } from "../log";
import { settlePendingAudits } from "../services/audit/append-audit-event";
import { requestMissingEvents } from "../services/events/request-missing-events";
import { syncOperatorHosts } from "../services/hosts/sync-operator-host";
import { markSilentHostsDropped } from "../services/presence/host-presence";
import type { SandboxDeps } from "../services/sandboxes/sandbox-deps";
import { turnStarts } from "../services/runs/turn-start-reconciler";
import { reapDeadSandboxes } from "../services/sandboxes/reap-dead-sandboxes";
import { tendSandboxes } from "../services/sandboxes/tend-sandboxes";
import { applyIdlePolicy } from "../services/sandboxes/idle-sandboxes";
import { topUpWarmPools } from "../services/sandboxes/warm-pool";
import type { RecurringJob } from "./schedule";

/** The platform's recurring work, each job run by one process at a time (schedule.ts). */
export function platformJobs(deps: SandboxDeps): RecurringJob[] {
  return [
    {
      // Hosts whose operator went silent without the hub noticing (a frozen process, a
      // half-open socket) are shown as dropped: a disconnect event alone would miss them.
      name: "presence-sweep",
      everyMs: 5_000,
      run: async () => {
        const dropped = await markSilentHostsDropped(deps.store);
        if (dropped > 0) log.info("host.presence_swept", { dropped });
      },
    },
    {
      // Sidecar tokens refreshed before they lapse; managed sandboxes metered up to now.
      name: "sandbox-tend",
      everyMs: 15_000,
      run: () => tendSandboxes(deps),
    },
    {
      // Turns running in sandboxes that died (a sidecar killed, a container or pod gone) end as failed, within seconds.
      name: "sandbox-liveness",
      everyMs: 3_000,
      run: () => reapDeadSandboxes(deps),
    },
    {
      // Idle managed sandboxes paused (compute and meter stopped, workspace kept); sandboxes idle far longer removed and their runs ended.
      name: "idle-policy",
      everyMs: 5_000,
      run: async () => {
        const { paused, ended } = await applyIdlePolicy(deps);
        if (paused + ended > 0) log.info("sandbox.idle_policy_applied", { paused, ended });
      },
    },
    {
      // Profiles' warm pools of managed sandboxes brought to their size: drained when the profile changed, topped up.
      name: "warm-pool",
      everyMs: 5_000,
      run: async () => {
        const { started, drained } = await topUpWarmPools(deps);
        if (started + drained > 0) log.info("warm_pool.tended", { started, drained });
      },
    },
    {
      // Each registered host's operator and the platform agree on what exists: workloads no run
      // wants removed, sidecars re-pointed, vanished sandboxes' turns ended (as on every connect).
      name: "host-sync",
      everyMs: 60_000,
      run: () => syncOperatorHosts(deps.store, deps.channel),
    },
    {
      // Audit rows a dead process left pending: kept if their change landed, removed if not.
      name: "audit-settle",
      everyMs: 10_000,
      run: async () => void (await settlePendingAudits(deps.store)),
    },
    {
      // The turn-start reconciler's backstop: starts queued by a process that died before taking
      // them up, held by one that died mid-dispatch (its lease lapsed), or due for a retry, are
      // taken up here.
      name: "turn-start-resync",
      everyMs: 5_000,
      run: async () => {
        const due = await turnStarts(deps).resync();
        if (due > 0) log.info("run.turn_starts_resynced", { due });
      },
    },
    {
      // Runs whose stored events have a hole: their sidecars are asked to replay it.
      name: "missing-events",
      everyMs: 15_000,
      run: () => requestMissingEvents(deps.store, deps.channel),
    },
  ];
}
