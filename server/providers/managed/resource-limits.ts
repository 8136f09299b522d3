import { RESOURCE_CLASSES, type TResourceClass } from "@/prisma-free-schema";

const MiB = 1024 * 1024;

/**
 * What a managed sandbox of a resource class may use, as the kernel enforces it without cgroup
 * delegation: process rlimits, set before the sandbox starts and inherited by everything in it
 * (no capability lets it raise them). Memory is bounded per process (RLIMIT_DATA: heap and
 * private writable mappings, which is what a runaway program grows), not in total; CPU is not
 * bounded at all. Both need cgroup v2, which this backend does not drive yet (see the README).
 */
export interface SandboxLimits {
  /** RLIMIT_NPROC: processes and threads, counted per sandbox (its own user namespace). */
  processes: number;
  /** RLIMIT_FSIZE: the largest file it can write, in bytes. */
  fileSizeBytes: number;
  /** RLIMIT_DATA: each process's data segment and private writable mappings, in bytes. */
  memoryPerProcessBytes: number;
  /** RLIMIT_NOFILE: open files per process. */
  openFiles: number;
  /** The size of its private /tmp (a tmpfs, so it is memory). */
  tmpBytes: number;
}

export function sandboxLimits(resourceClass: TResourceClass): SandboxLimits {
  const { memoryMiB, cpu } = RESOURCE_CLASSES[resourceClass];
  return {
    // Node alone runs about a dozen threads; a shell turn with a build needs a few hundred.
    processes: Math.round(512 * Math.max(1, cpu)),
    fileSizeBytes: 2 * memoryMiB * MiB,
    memoryPerProcessBytes: memoryMiB * MiB,
    openFiles: 4096,
    tmpBytes: (memoryMiB / 4) * MiB,
  };
}

/** `prlimit` arguments that set `limits` (hard and soft alike) on the command that follows. */
export function prlimitArgs(limits: SandboxLimits): string[] {
  return [`--nproc=${limits.processes}`, `--fsize=${limits.fileSizeBytes}`, `--data=${limits.memoryPerProcessBytes}`, `--nofile=${limits.openFiles}`, "--core=0"];
}
