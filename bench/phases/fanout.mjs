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

function fanoutPlan(target, members, to, count) {
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

/** Seeds `size` users and a group holding them all; returns `{users, groupId}`. */
export async function appGroup(ctx, size) {
  const users = await seedUsers(ctx.app, size, `g${size}m`);
  const groupId = await createGroup(ctx.api, users, `bench ${size}`);
  return { users, groupId };
}

/** Runs one fan-out measurement; `groupId` is undefined for the baseline. */
export async function measureFanout(ctx, target, users, groupId, count) {
  const label = `${target.name} fan-out ${users.length}`;
  const members = await connectMembers(
    target,
    users,
    () => `group${users.length}`,
    ctx.flags.connectConcurrency,
  );
  listen(ctx.ledger, members);
  const to = { chatType: 1, recvId: groupId };
  // One unmeasured message first, so the conversation object's start is not in the figures.
  await deliverAll({
    ledger: ctx.ledger,
    messages: fanoutPlan(target, members, to, 1),
    minGapMs: MIN_GAP_MS,
    timeoutMs: ctx.flags.timeoutMs,
  });
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

/** The group's Conversation object's cost counters (see Conversation.costCounters). */
async function costCounters(ctx, groupId) {
  const namespace = await ctx.app.mf.getDurableObjectNamespace("CONVERSATION");
  return await namespace.getByName(groupId).costCounters();
}

/**
 * The app's fan-out with its cost: storage rows written (every object of the isolate) and disk
 * write requests (the state dir's device) per delivered message, around `measureFanout`.
 */
export async function measureAppFanout(ctx, target, users, groupId, count) {
  const rowsBefore = (await costCounters(ctx, groupId)).isolateRowsWritten;
  const diskBefore = diskWritesCompleted(ctx.stateDir);
  const deliveredBefore = ctx.ledger.counts.delivered;
  const result = await measureFanout(ctx, target, users, groupId, count);
  await sleep(1_000);
  const delivered = ctx.ledger.counts.delivered - deliveredBefore;
  const rows = (await costCounters(ctx, groupId)).isolateRowsWritten - rowsBefore;
  result.rowsPerDelivery = rows / delivered;
  result.diskWritesPerDelivery = (diskWritesCompleted(ctx.stateDir) - diskBefore) / delivered;
  return result;
}

/**
 * What one group message costs a deployment when few members are online: ONLINE_FEW of the
 * group's members connected, `count` messages from them (each sender once a second, so about
 * ten a second), then the object calls the
 * Conversation made per message (offline members are called at most every 500 ms, with
 * everything that piled up) and the storage rows written per message handed to a session.
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
  // One unmeasured message: the Conversation learns who has no socket.
  await deliverAll({
    ledger: ctx.ledger,
    messages: plan(1),
    minGapMs: MIN_GAP_MS,
    timeoutMs: ctx.flags.timeoutMs,
  });
  await sleep(1_000);
  const before = await costCounters(ctx, groupId);
  const progress = step(`app ${users.length} members, ${ONLINE_FEW} online`, count);
  const result = await deliverAll({
    ledger: ctx.ledger,
    messages: plan(count),
    minGapMs: ONLINE_FEW_GAP_MS,
    timeoutMs: ctx.flags.timeoutMs,
    progress,
  });
  const perSecond = count / (result.elapsedMs / 1000);
  // The offline members' last catch-up comes within 500 ms of the last message.
  await sleep(1_000);
  const after = await costCounters(ctx, groupId);
  const calls = (after.calls - before.calls) / count;
  const rows = (after.isolateRowsWritten - before.isolateRowsWritten) /
    (after.messages - before.messages);
  progress.done(
    `${calls.toFixed(1)} object calls per message at ${perSecond.toFixed(1)} messages/s`,
  );
  await Promise.all(online.map((m) => m.socket.close()));
  return { callsPerMessage: calls, rowsPerSessionMessage: rows, perSecond };
}

/** Stand-in members for the baseline's room. */
export function baselineGroup(size) {
  return baselineUsers(size, `g${size}m`);
}
