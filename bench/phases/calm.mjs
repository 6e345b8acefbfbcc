/**
 * Calm fan-out: a group at a modest fixed rate, every member online — the load a real group
 * mostly has, next to the busy fan-out's "as fast as it goes". Each `--calm-groups` entry
 * (`size@messages per second`) runs for `--calm-seconds` on the bare broadcast, the
 * object-per-user floor and ours, at the same offered load, and reports:
 * - deliveries/s ÷ offered (offered = rate × (size − 1)): below 1, the system fell behind;
 * - to-last-member p50 / p99;
 * - CPU per delivery: the system's workerd CPU seconds (/proc/<pid>/stat) over the messages and
 *   the work they leave behind, ÷ deliveries.
 */
import { deliverAtRate } from "../lib/messaging.mjs";
import { cpuSeconds } from "../lib/proc.mjs";
import { heading, step } from "../lib/progress.mjs";
import { appTarget, baselineTarget, baselineUsers, boxBaselineTarget } from "../lib/targets.mjs";
import { appGroup, fanoutPlan, joinGroup } from "./fanout.mjs";
import { settle } from "./http.mjs";

// Work a message leaves behind (batched saves, list rows) is the message's cost too: CPU is
// read this long after the last delivery. Idle workerd burns next to nothing meanwhile.
const TAIL_MS = 1_000;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** One system, one group: `rate` messages/s for `seconds`, open loop. */
async function measureCalm(ctx, target, system, users, groupId, rate) {
  const size = users.length;
  const label = `${target.name} calm ${size} @ ${rate}/s`;
  const { members, to } = await joinGroup(ctx, target, users, groupId, `calm${size}`);
  // Sockets just opened (and, for the baseline, the other system's just closed) are still
  // being handled; that CPU is not this load's.
  await settle(system);
  const count = Math.max(1, Math.round(rate * ctx.flags.calmSeconds));
  const progress = step(label, count);
  const cpuBefore = cpuSeconds(system.pid);
  const result = await ctx.profiler.measure(label, async () => {
    const sent = await deliverAtRate({
      ledger: ctx.ledger,
      messages: fanoutPlan(target, members, to, count),
      rate,
      timeoutMs: ctx.flags.timeoutMs,
      progress,
    });
    await sleep(TAIL_MS);
    return sent;
  });
  const cpu = cpuSeconds(system.pid) - cpuBefore;
  const offered = rate * (size - 1);
  const figures = {
    ofOffered: result.deliveries / (result.elapsedMs / 1000) / offered,
    p50: result.p50,
    p99: result.p99,
    cpuPerDeliveryUs: (cpu / result.deliveries) * 1e6,
  };
  progress.done(
    `${(figures.ofOffered * 100).toFixed(1)} % of offered, p99 ${result.p99.toFixed(1)} ms, ${
      figures.cpuPerDeliveryUs.toFixed(0)
    } µs CPU per delivery`,
  );
  await Promise.all(members.map((m) => m.socket.close()));
  return figures;
}

/** Adds the three figures of `ours` against `base` under `name`. */
function addCalm(results, name, ours, base) {
  results.add(`${name}: deliveries/s ÷ offered`, "×", ours.ofOffered, base.ofOffered);
  results.add(`${name}: to last member p50`, "ms", ours.p50, base.p50);
  results.add(`${name}: to last member p99`, "ms", ours.p99, base.p99);
  results.add(`${name}: CPU per delivery`, "µs", ours.cpuPerDeliveryUs, base.cpuPerDeliveryUs);
}

/** Every `--calm-groups` entry on the three systems; ratios are ours ÷ object-per-user floor. */
export async function runCalm(ctx) {
  for (const { size, rate } of ctx.flags.calmGroups) {
    heading(`calm fan-out, ${size} members at ${rate} messages/s, all online`);
    const { users, groupId } = await appGroup(ctx, size);
    const standIns = baselineUsers(size, `c${size}m`);
    const bare = await measureCalm(
      ctx,
      baselineTarget(ctx.baseline),
      ctx.baseline,
      standIns,
      undefined,
      rate,
    );
    const box = await measureCalm(
      ctx,
      boxBaselineTarget(ctx.baseline),
      ctx.baseline,
      standIns,
      undefined,
      rate,
    );
    const ours = await measureCalm(ctx, appTarget(ctx.app), ctx.app, users, groupId, rate);
    const name = `calm ${size} @ ${rate} msg/s`;
    addCalm(ctx.results, `${name}, ours vs the object-per-user floor`, ours, box);
    addCalm(ctx.results, `${name}, object-per-user floor vs bare broadcast`, box, bare);
  }
}
