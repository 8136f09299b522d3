import fs from "node:fs";

/**
 * What /proc says of a process, to tell it from another that got its pid later: when it
 * started, and which PID namespace it runs in. Undefined where /proc does not say (not Linux, or
 * the process is gone).
 */

/** When `pid` started, in clock ticks since boot (/proc/<pid>/stat, field 22). */
export function startTicks(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may hold spaces and parentheses: count fields after its closing one.
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return undefined;
  }
}

/** The PID namespace `pid` runs in (`pid:[4026531836]`). */
export function pidNamespace(pid: number): string | undefined {
  try {
    return fs.readlinkSync(`/proc/${pid}/ns/pid`);
  } catch {
    return undefined;
  }
}
