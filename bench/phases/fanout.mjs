/**
 * Group fan-out: a group of `size` members, every member online with one socket; `count`
 * messages from rotating senders, `fanoutWindow` (default 1) in flight, each timed until its
 * *last* member has it.
 * Deliveries/s counts pushes to members other than the sending socket.
 */
import { deliverAll, listen, probeAcks } from "../lib/messaging.mjs";
import { diskWritesCompleted } from "../lib/proc.mjs";
import { step } from "../lib/progress.mjs";
import { createGroup, seedUsers } from "../lib/seed.mjs";
import { baselineUsers } from "../lib/targets.mjs";
import { connectMembers } from "./chat.mjs";

// Senders rotate over this many members, so no socket nears the app's 20 frames/s limit.
const SENDERS = 10;
const MIN_GAP_MS = 60;
/** How often the ack probe sends while a fan-out runs (well under the 20 frames/s limit). */
const PROBE_EVERY_MS = 100;
/** Members online for the "object calls per group message" figure, each sending once a second. */
const ONLINE_FEW = 10;
const ONLINE_FEW_GAP_MS = 1_000;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** `count` messages from up to SENDERS rotating members, each to every other member. */
export function fanoutPlan(target, members, to, count) {
  const senders = members.slice(0, Math.min(SENDERS, members.length));
  return Array.from({ length: count }, (_, i) => {
    const from = senders[i % senders.length];
    return {
      sender: {
        id: from.user.id,
        send: (content) => from.socket.request("conversation.chat", target.chatData(to, content)),
      },
      receivers: members.filter((m) => m !== from).map((m) => m.id),
    };
  });
}

/**
 * Seeds `size` users and a group holding them all; returns `{users, groupId}`. Made once per
 * size and run: the calm phase reuses the fan-out's groups (joining 500 members takes a while).
 */
export function appGroup(ctx, size) {
  ctx.groups ??= new Map();
  if (!ctx.groups.has(size)) {
    ctx.groups.set(
      size,
      (async () => {
        const users = await seedUsers(ctx.app, size, `g${size}m`);
        const groupId = await createGroup(ctx.api, users, `bench ${size}`);
        return { users, groupId };
      })(),
    );
  }
  return ctx.groups.get(size);
}

/**
 * Connects every member (devices tagged `device`), listens to them, and sends one unmeasured
 * message, so the group's objects starting (a once-per-group cost) is not in the figures.
 */
export async function joinGroup(ctx, target, users, groupId, device) {
  const members = await connectMembers(target, users, () => device, ctx.flags.connectConcurrency);
  listen(ctx.ledger, members);
  const to = { chatType: 1, recvId: groupId };
  await deliverAll({
    ledger: ctx.ledger,
    messages: fanoutPlan(target, members, to, 1),
    minGapMs: MIN_GAP_MS,
    timeoutMs: ctx.flags.timeoutMs,
  });
  return { members, to };
}

/** Runs one fan-out measurement; `groupId` is undefined for the baseline. */
export async function measureFanout(ctx, target, users, groupId, count) {
  const label = `${target.name} fan-out ${users.length}`;
  const { members, to } = await joinGroup(ctx, target, users, groupId, `group${users.length}`);
  const progress = step(label, count);
  const result = await ctx.profiler.measure(
    label,
    () => fanOut(ctx, target, members, to, count, progress),
  );
  progress.done(
    `${Math.round(result.deliveriesPerSecond)} deliveries/s, p99 ${result.p99.toFixed(1)} ms`,
  );
  result.ackUnderFanout = await probeAcksDuringFanout(ctx, target, members, to, count);
  await Promise.all(members.map((m) => m.socket.close()));
  return result;
}

/** `count` messages from the rotating senders to every other member, `fanoutWindow` in flight. */
function fanOut(ctx, target, members, to, count, progress) {
  return deliverAll({
    ledger: ctx.ledger,
    messages: fanoutPlan(target, members, to, count),
    window: ctx.flags.fanoutWindow,
    minGapMs: MIN_GAP_MS,
    timeoutMs: ctx.flags.timeoutMs,
    progress,
  });
}

/**
 * The same fan-out again while one more member (not one of the rotating senders) sends every
 * PROBE_EVERY_MS and times only its acks: does a send wait for other messages' fan-out?
 */
async function probeAcksDuringFanout(ctx, target, members, to, count) {
  const label = `${target.name} send→ack during fan-out ${members.length}`;
  const prober = members[SENDERS] ?? members.at(-1);
  let running = true;
  const progress = step(label, count);
  const probe = probeAcks({
    ledger: ctx.ledger,
    sender: {
      id: prober.user.id,
      send: (content) => prober.socket.request("conversation.chat", target.chatData(to, content)),
    },
    receivers: members.filter((m) => m !== prober).map((m) => m.id),
    everyMs: PROBE_EVERY_MS,
    stop: () => !running,
  });
  await fanOut(ctx, target, members, to, count, progress);
  running = false;
  const acks = await probe;
  // The probe's last messages are acked but may still be fanning out: the sockets stay open
  // until they have arrived (or the timeout says they are lost).
  const deadline = performance.now() + ctx.flags.timeoutMs;
  const ids = members.map((m) => m.id);
  while (ctx.ledger.waitingAt(ids) > 0 && performance.now() < deadline) await sleep(20);
  progress.done(`${acks.count} probe acks, p99 ${acks.p99.toFixed(1)} ms`);
  return acks;
}

/**
 * The app's counters since its isolate started (bench/app/entry.ts, not the product): rows
 * written through the objects' SQLite storage, and `calls`, the UserSession calls a Conversation
 * makes per message (`receive`, and `news` where the app has it).
 */
async function appCounters(ctx) {
  const response = await fetch(new URL("/__bench/counters", ctx.app.url));
  if (!response.ok) throw new Error(`GET /__bench/counters → ${response.status}`);
  const counters = await response.json();
  const perMethod = Object.entries(counters).filter(([name]) => name.endsWith("Calls"));
  // The entry counts only methods the app's UserSession has: none means the app renamed them,
  // and "0 calls per message" would be a wrong figure, not a good one.
  if (perMethod.length === 0) {
    throw new Error("bench/app/entry.ts counts no UserSession method: update its method list");
  }
  const calls = perMethod.reduce((sum, [, value]) => sum + value, 0);
  return { ...counters, calls };
}

/** `after - before` for every counter. */
function counted(before, after) {
  return Object.fromEntries(Object.keys(after).map((k) => [k, after[k] - (before[k] ?? 0)]));
}

/**
 * The app's fan-out with its cost: storage rows written (every object of the isolate) and disk
 * write requests (the state dir's device) per delivered message, around `measureFanout`.
 */
export async function measureAppFanout(ctx, target, users, groupId, count) {
  const before = await appCounters(ctx);
  const diskBefore = diskWritesCompleted(ctx.stateDir);
  const deliveredBefore = ctx.ledger.counts.delivered;
  const result = await measureFanout(ctx, target, users, groupId, count);
  await sleep(1_000);
  const delivered = ctx.ledger.counts.delivered - deliveredBefore;
  const { rowsWritten } = counted(before, await appCounters(ctx));
  result.rowsPerDelivery = rowsWritten / delivered;
  result.diskWritesPerDelivery = (diskWritesCompleted(ctx.stateDir) - diskBefore) / delivered;
  return result;
}

/**
 * What one group message costs a deployment when few members are online: ONLINE_FEW of the
 * group's members connected, `count` messages from them (each sender once a second, so about
 * ten a second), then the UserSession calls the Conversation made per message (the online
 * members' deliveries plus whatever offline members cost) and the storage rows every object
 * wrote per message.
 */
export async function measureCallsPerMessage(ctx, target, users, groupId, count) {
  const online = await connectMembers(
    target,
    users.slice(0, ONLINE_FEW),
    () => "unused",
    ctx.flags.connectConcurrency,
  );
  listen(ctx.ledger, online);
  const to = { chatType: 1, recvId: groupId };
  const plan = (n) =>
    fanoutPlan(target, online, to, n).map(({ sender }) => ({
      sender,
      receivers: online.filter((m) => m.user.id !== sender.id).map((m) => m.id),
    }));
  // One unmeasured message: the Conversation learns who has no socket (and tells them once).
  await deliverAll({
    ledger: ctx.ledger,
    messages: plan(1),
    minGapMs: MIN_GAP_MS,
    timeoutMs: ctx.flags.timeoutMs,
  });
  await sleep(1_000);
  const before = await appCounters(ctx);
  const progress = step(`app ${users.length} members, ${ONLINE_FEW} online`, count);
  const result = await deliverAll({
    ledger: ctx.ledger,
    messages: plan(count),
    minGapMs: ONLINE_FEW_GAP_MS,
    timeoutMs: ctx.flags.timeoutMs,
    progress,
  });
  const perSecond = count / (result.elapsedMs / 1000);
  // Deferred work (offline catch-ups, batched saves) lands within a second of the last message.
  await sleep(1_000);
  const spent = counted(before, await appCounters(ctx));
  const calls = spent.calls / count;
  const byMethod = Object.entries(spent).filter(([name]) => name.endsWith("Calls"))
    .map(([name, value]) => `${name.replace(/Calls$/, "")} ${(value / count).toFixed(1)}`);
  progress.done(
    `${calls.toFixed(1)} object calls per message (${byMethod.join(", ")}) at ${
      perSecond.toFixed(1)
    } messages/s`,
  );
  await Promise.all(online.map((m) => m.socket.close()));
  return { callsPerMessage: calls, rowsPerMessage: spent.rowsWritten / count, perSecond };
}

/** Stand-in members for the baseline's room. */
export function baselineGroup(size) {
  return baselineUsers(size, `g${size}m`);
}
