import { closeSync, constants, openSync, readSync } from "node:fs";

/**
 * Whether the kernel's log says its memory-cgroup OOM killer killed a process of `containerId`.
 *
 * Why not the engine's own `State.OOMKilled`: Podman 4.3 on this machine (cgroup v1, cgroupfs,
 * conmon 2.1.6) never sets it, though the kernel does kill the process at the limit (exit 137):
 * conmon notices, but writes its `oom` marker into its own working directory (wherever
 * `podman system service` was started), not where Podman looks for it.
 * The kernel's record names the cgroup (`task_memcg=/libpod_parent/libpod-<id>`), which carries
 * the container id; cAdvisor, which the kubelet embeds, watches this same log for OOM kills.
 * Reading /dev/kmsg needs root (or CAP_SYSLOG); without it the answer is false, and an OOM kill
 * is reported as an `Error` with exit code 137.
 */
export function kernelLogSaysOomKilled(containerId: string): boolean {
  let fd: number;
  try {
    fd = openSync("/dev/kmsg", constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return false;
  }
  const record = Buffer.alloc(8192);
  try {
    for (;;) {
      let length: number;
      try {
        length = readSync(fd, record, 0, record.length, null); // one record per read
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === "EPIPE") continue; // records were overwritten while reading: go on with the next
        return false; // EAGAIN: the end of the log
      }
      const text = record.toString("utf8", 0, length);
      if (text.includes("oom-kill:") && text.includes(containerId)) return true;
    }
  } finally {
    closeSync(fd);
  }
}

/** Whether this process can read the kernel log at all (tests skip the OOM case when it cannot). */
export function canReadKernelLog(): boolean {
  try {
    closeSync(openSync("/dev/kmsg", constants.O_RDONLY | constants.O_NONBLOCK));
    return true;
  } catch {
    return false;
  }
}
