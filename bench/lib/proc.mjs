/**
 * Reading the workerd processes Miniflare spawns, through /proc (Linux only): which pid is whose,
 * how much memory it holds, and how much CPU it has burnt — the evidence for "what limits this".
 */
import { readdirSync, readFileSync, statSync } from "node:fs";

/** Clock ticks per second for /proc/<pid>/stat times; 100 on every Linux we run on. */
const CLOCK_TICKS = 100;

/** The fields of /proc/<pid>/stat after the command name (which may contain spaces). */
function statFields(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  return {
    comm: stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")),
    rest: stat.slice(stat.lastIndexOf(")") + 2).split(" "),
  };
}

/** Pids of workerd processes whose parent is this Node process. */
export function workerdChildren() {
  const pids = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const { comm, rest } = statFields(entry);
      // rest[1] is the parent pid (field 4 of stat).
      if (comm === "workerd" && Number(rest[1]) === process.pid) pids.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

/** Resident set size of `pid` in bytes (VmRSS). */
export function rssBytes(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const match = /^VmRSS:\s+(\d+) kB/m.exec(status);
  return match ? Number(match[1]) * 1024 : NaN;
}

/** User + system CPU seconds `pid` has used so far (all its threads). */
export function cpuSeconds(pid) {
  const { rest } = statFields(pid);
  // utime and stime are fields 14 and 15 of stat, i.e. rest[11] and rest[12].
  return (Number(rest[11]) + Number(rest[12])) / CLOCK_TICKS;
}

/** Thread count of `pid` (to tell a single-threaded runtime from a saturated machine). */
export function threadCount(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/^Threads:\s+(\d+)/m.exec(status)?.[1] ?? NaN);
}

/** CPU model name and core count, for the results header. */
export function machineInfo() {
  let model = "unknown";
  try {
    model = /^model name\s*:\s*(.+)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1] ?? model;
  } catch {
    // Not Linux: leave it unknown.
  }
  return model;
}

/**
 * Write requests completed so far by the block device that holds `dir` (/proc/diskstats, field
 * 8); NaN when `dir` is on no block device (a tmpfs). Device-wide: anything else writing to the
 * disk meanwhile counts too.
 */
export function diskWritesCompleted(dir) {
  const dev = statSync(dir).dev;
  const major = Math.floor(dev / 256);
  const minor = dev % 256;
  for (const line of readFileSync("/proc/diskstats", "utf8").split("\n")) {
    const fields = line.trim().split(/\s+/);
    if (Number(fields[0]) === major && Number(fields[1]) === minor) return Number(fields[7]);
  }
  return NaN;
}
