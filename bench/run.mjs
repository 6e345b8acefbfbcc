#!/usr/bin/env -S deno run -A
/**
 * `npm run bench`: starts the app (as deployed) and the baseline in local workerd through
 * Miniflare, measures both with the same client, prints a table, writes bench/results/, and
 * exits non-zero if any message was lost, duplicated or out of order. See bench/README.md.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { DeliveryLedger } from "./lib/delivery.mjs";
import { readFlags } from "./lib/flags.mjs";
import { Profiler } from "./lib/profile.mjs";
import { heading, step } from "./lib/progress.mjs";
import { profileTable, Results, resultsTable, targetsTable, writeResults } from "./lib/report.mjs";
import { apiClient } from "./lib/seed.mjs";
import { startApp, startBaseline } from "./lib/servers.mjs";
import { checkTargets } from "./lib/targets.mjs";
import { unexpectedCloses } from "./lib/ws-client.mjs";
import { runPhases } from "./phases/index.mjs";

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
// Pushes still on the wire when the last phase ends get this long before they count as lost.
const DRAIN_MS = 1000;

/** Starts both systems and returns the shared context of a run. */
async function start(flags, tempDir) {
  const progress = step("build the Worker bundle and start app + baseline in workerd");
  const app = await startApp(tempDir, { pushWindowSeconds: flags.pushWindow });
  const baseline = await startBaseline(tempDir);
  progress.done(`app pid ${app.pid}, baseline pid ${baseline.pid}`);
  return {
    app,
    baseline,
    flags,
    results: new Results(),
    profiler: new Profiler([app, baseline]),
    ledger: new DeliveryLedger(),
    api: apiClient(app),
    stateDir: tempDir,
  };
}

/** The last lines each runtime printed, to explain a failure. */
function runtimeTails(ctx) {
  return [ctx.app, ctx.baseline].map((system) => {
    const text = readFileSync(system.logFile, "utf8").trim().split("\n").slice(-15).join("\n");
    return `--- ${system.name} runtime log (last lines) ---\n${text}`;
  }).join("\n");
}

async function main() {
  const flags = readFlags();
  const loadBefore = os.loadavg()[0];
  heading("easy-chat edge benchmark — ours vs the runtime's floor (bench/baseline)");
  const tempDir = mkdtempSync(path.join(flags.stateDir, "easy-chat-bench-"));
  let ctx;
  try {
    ctx = await start(flags, tempDir);
    await runPhases(ctx);
    await sleep(DRAIN_MS);
  } catch (error) {
    console.error(`\nbenchmark failed: ${error.stack ?? error}`);
    if (ctx) console.error(runtimeTails(ctx));
    process.exitCode = 1;
  } finally {
    ctx?.api.close();
    await Promise.allSettled([ctx?.app.mf.dispose(), ctx?.baseline.mf.dispose()]);
    rmSync(tempDir, { recursive: true, force: true });
  }
  if (!ctx || process.exitCode) return;

  const delivery = ctx.ledger.settle();
  // Marked, not enforced: a target not met is a finding, not a failed run.
  const targets = checkTargets(ctx.results.rows, delivery);
  writeResults({
    rows: ctx.results.rows,
    delivery,
    targets,
    phases: ctx.profiler.phases,
    sizes: { ...flags, phases: [...flags.phases] },
    loadBefore,
  });
  console.log(`\n${resultsTable(ctx.results.rows)}\n`);
  console.log(`${targetsTable(targets)}\n`);
  console.log(`${profileTable(ctx.profiler.phases)}\n`);
  console.log(`delivery: ${JSON.stringify(delivery)}`);
  const bad = delivery.lost + delivery.duplicated + delivery.outOfOrder;
  if (bad > 0) {
    console.error(`FAIL: ${bad} deliveries lost, duplicated or out of order`);
    process.exitCode = 1;
  }
  if (unexpectedCloses.length > 0) {
    console.error(
      `FAIL: the server closed ${unexpectedCloses.length} sockets: ${
        unexpectedCloses.slice(0, 5).join("; ")
      }`,
    );
    process.exitCode = 1;
  }
}

await main();
