/**
 * Group fan-out: a group of `size` members, every member online with one socket; `count`
 * messages from rotating senders, `fanoutWindow` (default 1) in flight, each timed until its
 * *last* member has it.
 * Deliveries/s counts pushes to members other than the sending socket.
 */
import { deliverAll, listen } from "../lib/messaging.mjs";
import { step } from "../lib/progress.mjs";
import { createGroup, seedUsers } from "../lib/seed.mjs";
import { baselineUsers } from "../lib/targets.mjs";
import { connectMembers } from "./chat.mjs";

// Senders rotate over this many members, so no socket nears the app's 20 frames/s limit.
const SENDERS = 10;
const MIN_GAP_MS = 60;

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
  const result = await ctx.profiler.measure(label, () =>
    deliverAll({
      ledger: ctx.ledger,
      messages: fanoutPlan(target, members, to, count),
      window: ctx.flags.fanoutWindow,
      minGapMs: MIN_GAP_MS,
      timeoutMs: ctx.flags.timeoutMs,
      progress,
    }));
  progress.done(
    `${Math.round(result.deliveriesPerSecond)} deliveries/s, p99 ${result.p99.toFixed(1)} ms`,
  );
  await Promise.all(members.map((m) => m.socket.close()));
  return result;
}

/** Stand-in members for the baseline's room. */
export function baselineGroup(size) {
  return baselineUsers(size, `g${size}m`);
}
