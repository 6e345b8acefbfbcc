/**
 * WebSocket connects: `sockets` sockets opened with `connectConcurrency` in flight, each timed
 * from `new WebSocket` to its `session.ready` frame; then memory per idle socket from the
 * workerd process's RSS before and after (the sockets stay open for the next phase).
 */
import { step } from "../lib/progress.mjs";
import { rssBytes } from "../lib/proc.mjs";
import { latencyHistogram, perSecond } from "../lib/stats.mjs";
import { inParallel, openSocket } from "../lib/ws-client.mjs";

// Long enough for the objects to finish their post-accept work (alarms, storage) and go idle.
const SETTLE_MS = 2000;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Opens one socket per user of `users` against `target`; returns sockets and figures. */
export async function openMany(ctx, system, target, users) {
  const { connectConcurrency } = ctx.flags;
  const histogram = latencyHistogram();
  const progress = step(`${target.name} connect`, users.length);
  const rssBefore = rssBytes(system.pid);
  const startedAt = performance.now();
  const sockets = await ctx.profiler.measure(
    `${target.name} connect`,
    () =>
      inParallel(users.length, connectConcurrency, async (i) => {
        const { socket, handshakeMs } = await openSocket(target.socketUrl(users[i]));
        histogram.record(handshakeMs);
        progress.tick();
        return socket;
      }),
  );
  const elapsedMs = performance.now() - startedAt;
  await sleep(SETTLE_MS);
  const rssAfter = rssBytes(system.pid);
  const figures = {
    perSecond: perSecond(users.length, elapsedMs),
    p50: histogram.at(50),
    p99: histogram.at(99),
    bytesPerSocket: (rssAfter - rssBefore) / users.length,
  };
  progress.done(`${Math.round(figures.perSecond)}/s, p99 ${figures.p99.toFixed(1)} ms`);
  return { sockets, figures };
}

/** Records the connect and memory rows. */
export function recordConnect(ctx, ours, base) {
  const count = ctx.flags.sockets;
  ctx.results.addLoad(`WS connect (${count} sockets)`, "connects/s", ours, base, "handshake");
  ctx.results.add(
    "memory per idle socket (workerd RSS)",
    "KiB",
    ours.bytesPerSocket / 1024,
    base.bytesPerSocket / 1024,
  );
}

/** Closes every socket (in parallel; each close waits for the server's close back). */
export async function closeAll(sockets) {
  await Promise.all(sockets.map((socket) => socket.close()));
}
