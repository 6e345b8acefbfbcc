/**
 * Results: rows of `{name, unit, value, baseline, ratio}` (ratio = ours / baseline), printed as a
 * table on stdout and written to bench/results/latest.json and latest.md.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { machineInfo } from "./proc.mjs";

const RESULTS_DIR = path.resolve(import.meta.dirname, "../results");

export class Results {
  constructor() {
    this.rows = [];
  }

  /** Adds one figure next to its baseline counterpart. */
  add(name, unit, value, baseline) {
    const ratio = Number.isFinite(value) && Number.isFinite(baseline) && baseline !== 0
      ? value / baseline
      : null;
    this.rows.push({
      name,
      unit,
      value: tidy(value),
      baseline: tidy(baseline),
      ratio: tidy(ratio),
    });
  }

  /** Adds throughput and p50/p99 rows for one measurement pair. */
  addLoad(name, rateUnit, ours, base, latencyLabel = "latency") {
    if (Number.isFinite(ours.perSecond)) this.add(name, rateUnit, ours.perSecond, base.perSecond);
    this.add(`${name} ${latencyLabel} p50`, "ms", ours.p50, base.p50);
    this.add(`${name} ${latencyLabel} p99`, "ms", ours.p99, base.p99);
  }
}

/** Three significant digits: more would be noise on a shared machine. */
function tidy(value) {
  if (value === null || value === undefined || !Number.isFinite(value)) return null;
  return Number(value.toPrecision(3));
}

function round2(value) {
  return Math.round(value * 100) / 100;
}

function cell(value) {
  return value === null ? "—" : String(value);
}

/** The results as a Markdown table (also what stdout shows). */
export function resultsTable(rows) {
  const lines = [
    "| figure | unit | ours | baseline | ours / baseline |",
    "| --- | --- | ---: | ---: | ---: |",
  ];
  for (const row of rows) {
    lines.push(
      `| ${row.name} | ${row.unit} | ${cell(row.value)} | ${cell(row.baseline)} | ${
        cell(row.ratio)
      } |`,
    );
  }
  return lines.join("\n");
}

/** Issue 19's targets (checkTargets in targets.mjs) as a Markdown table. */
export function targetsTable(checks) {
  const lines = [
    "| target | row (column) | measured | target | met |",
    "| --- | --- | ---: | --- | --- |",
  ];
  for (const check of checks) {
    const met = check.met === null ? "not measured" : check.met ? "met" : "**not met**";
    lines.push(
      `| ${check.figure} | ${cell(check.row)} | ${
        cell(check.measured)
      } | ${check.target} | ${met} |`,
    );
  }
  return lines.join("\n");
}

/** CPU per phase as a Markdown table. */
export function profileTable(phases) {
  if (phases.length === 0) return "";
  const systems = Object.keys(phases[0]).filter((key) =>
    key.endsWith("Cores") && key !== "clientCores"
  );
  const header = [
    "phase",
    "wall s",
    "client cores",
    ...systems.map((k) => k.replace("Cores", " cores")),
  ];
  const lines = [`| ${header.join(" | ")} |`, `| --- |${" ---: |".repeat(header.length - 1)}`];
  for (const phase of phases) {
    const cells = [
      phase.phase,
      phase.wallSeconds,
      phase.clientCores,
      ...systems.map((k) => phase[k]),
    ];
    lines.push(`| ${cells.join(" | ")} |`);
  }
  return lines.join("\n");
}

/** Writes latest.json and latest.md; returns the run's header facts. */
export function writeResults({ rows, delivery, targets, phases, sizes, loadBefore }) {
  const run = {
    runAt: new Date().toISOString(),
    node: process.version,
    cpu: `${machineInfo()} × ${os.availableParallelism()}`,
    results: rows,
    delivery,
    targets,
    // Beyond the required shape: the sizes used, the CPU each phase burnt, and the machine's
    // 1-minute load average before and after (above ~1 on 2 cores, something else was running).
    sizes,
    profile: phases,
    loadAverage: { before: round2(loadBefore), after: round2(os.loadavg()[0]) },
  };
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(path.join(RESULTS_DIR, "latest.json"), `${JSON.stringify(run, null, 2)}\n`);
  const markdown = [
    "# Benchmark results",
    "",
    `Run at ${run.runAt} on ${run.cpu}, Node ${run.node}; 1-minute load average ${run.loadAverage.before} before, ${run.loadAverage.after} after. Ratio = ours / baseline.`,
    "",
    resultsTable(rows),
    "",
    `Delivery: ${Object.entries(delivery).map(([k, v]) => `${k} ${v}`).join(", ")}.`,
    "",
    "## Targets (issues 19 and 24)",
    "",
    targetsTable(targets),
    "",
    "## CPU by phase",
    "",
    profileTable(phases),
    "",
    `Sizes: \`${JSON.stringify(sizes)}\``,
    "",
  ].join("\n");
  writeFileSync(path.join(RESULTS_DIR, "latest.md"), markdown);
  return run;
}
