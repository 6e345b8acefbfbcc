/**
 * CPU accounting per phase: how many cores the client (this Node process) and each workerd
 * process used while the phase ran. A system at ~1.0 core with a single JS thread is bound by
 * its own CPU; a client near 1.0 means the client is the limit, not the system.
 */
import { cpuSeconds } from "./proc.mjs";

export class Profiler {
  constructor(systems) {
    this.systems = systems;
    this.phases = [];
  }

  /** Runs `task` and records wall time and cores used by the client and every system. */
  async measure(label, task) {
    const startedAt = performance.now();
    const clientBefore = process.cpuUsage();
    const before = this.systems.map((system) => cpuSeconds(system.pid));
    const result = await task();
    const wallSeconds = (performance.now() - startedAt) / 1000;
    const client = process.cpuUsage(clientBefore);
    const row = {
      phase: label,
      wallSeconds: round(wallSeconds),
      clientCores: round((client.user + client.system) / 1e6 / wallSeconds),
    };
    this.systems.forEach((system, i) => {
      row[`${system.name}Cores`] = round((cpuSeconds(system.pid) - before[i]) / wallSeconds);
    });
    this.phases.push(row);
    return result;
  }
}

function round(value) {
  return Math.round(value * 100) / 100;
}
