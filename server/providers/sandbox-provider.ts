import type { TSandbox, TSandboxProviderKind } from "@/prisma-free-schema";

/**
 * Where sandboxes are made: managed compute, or a customer's Kubernetes cluster or Docker
 * engine through its operator. Every provider runs the same sidecar in each sandbox and hands it
 * its first channel URL; everything after that (turns, events, fresh tokens) goes over the
 * channel, so the run service never asks which provider it has.
 */
export interface SandboxProvider {
  readonly kind: TSandboxProviderKind;
  /**
   * Whether this provider can launch at all right now, checked before a run is created: null, or
   * a sentence saying what is missing and how to fix it (managed compute without a working
   * isolation boundary). Providers that can always try leave it out.
   */
  preflight?(): Promise<string | null>;
  /** Starts the sandbox with its sidecar, which connects with `accessUrl`; resolves once started, not once connected. */
  create(sandbox: TSandbox, accessUrl: string): Promise<void>;
  /** Stops it and everything it started, and removes what it kept (unless its workspace is to persist). */
  destroy(sandbox: TSandbox): Promise<void>;
  /**
   * Stops its compute and everything it started, keeping its workspace and its event log, so a
   * later `create` of the same sandbox resumes it where it was. Providers that cannot (a BYO
   * host's) leave it out: their sandboxes are never paused.
   */
  pause?(sandbox: TSandbox): Promise<void>;
  /**
   * Whether it runs, and if not why, in words for the person ("image … not found", "exited with
   * 1: <last log lines>"): what explains a failed launch.
   */
  inspect(sandbox: TSandbox): Promise<SandboxInspection>;
  /** Ids of the sandboxes this provider holds (on `hostId`, for a host's provider), for reconciliation. */
  list(hostId: string | null): Promise<string[]>;
  /** Hands the sidecar a fresh access URL out of band: for a sidecar whose token lapsed while it was away. */
  refreshAccess(sandbox: TSandbox, accessUrl: string): Promise<void>;
}

export type SandboxState = "running" | "stopped" | "missing";
export interface SandboxInspection {
  state: SandboxState;
  /** Null while it runs. */
  problem: string | null;
}
