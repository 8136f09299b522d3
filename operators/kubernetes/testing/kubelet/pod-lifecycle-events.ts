import { identityOf } from "./kubelet-labels";
import type { PodRuntime } from "./pod-runtime";

/**
 * The kubelet's PLEG (pod lifecycle event generator), by relisting: every tick the node's
 * containers are listed, and a pod whose containers changed (one started, ended, appeared or went)
 * is named, so its status is written again without waiting for anything else to happen to it.
 */
export class ContainerRelist {
  private last = new Map<string, string>();

  constructor(private readonly runtime: PodRuntime) {}

  /** The `namespace/name` keys of pods whose containers changed since the last relist. */
  async changedPods(): Promise<string[]> {
    const current = new Map<string, { fingerprint: string[]; key: string }>();
    for (const container of await this.runtime.list()) {
      const identity = identityOf(container.Labels);
      if (!identity) continue;
      const entry = current.get(identity.podUid) ?? { fingerprint: [], key: `${identity.namespace}/${identity.pod}` };
      entry.fingerprint.push(`${container.Id}:${container.State}`);
      current.set(identity.podUid, entry);
    }
    const changed = new Set<string>();
    const next = new Map<string, string>();
    for (const [uid, entry] of current) {
      const fingerprint = entry.fingerprint.sort().join(",");
      next.set(uid, fingerprint);
      if (this.last.get(uid) !== fingerprint) changed.add(entry.key);
    }
    this.last = next;
    return [...changed];
  }
}
