/**
 * Private chat end to end: `pairs` pairs of friends, one socket each; `messages` messages sent one
 * at a time (the system is otherwise idle, or has the connect phase's sockets open), alternating
 * direction, each timed from send to the push on the other side.
 */
import { deliverAll, listen } from "../lib/messaging.mjs";
import { step } from "../lib/progress.mjs";
import { baselineUsers } from "../lib/targets.mjs";
import { befriend, seedUsers } from "../lib/seed.mjs";
import { inParallel, openSocket } from "../lib/ws-client.mjs";

// The app allows 20 frames/s per socket (burst 40): 60 ms apart stays clear of the limiter.
const MIN_GAP_MS = 60;

/** Opens one socket per user (in `room` for the baseline) and returns `[{id, user, socket}]`. */
export async function connectMembers(target, users, roomOf, concurrency) {
  return await inParallel(users.length, concurrency, async (i) => {
    const { socket } = await openSocket(target.socketUrl(users[i], roomOf(i)));
    return { id: `${target.name}:${users[i].id}`, user: users[i], socket };
  });
}

/** Seeded friend pairs for the app (users [a0, b0, a1, b1, …]). */
export async function appPairs(ctx) {
  const users = await seedUsers(ctx.app, ctx.flags.pairs * 2, "pair");
  await inParallel(ctx.flags.pairs, 4, (p) => befriend(ctx.api, users[2 * p], users[2 * p + 1]));
  return users;
}

/** The send plan: message i goes within pair i % pairs, direction flipping every round. */
function chatPlan(target, members, count) {
  const pairs = members.length / 2;
  return Array.from({ length: count }, (_, i) => {
    const pair = i % pairs;
    const flip = Math.floor(i / pairs) % 2;
    const from = members[2 * pair + flip];
    const to = members[2 * pair + 1 - flip];
    return {
      sender: {
        id: from.user.id,
        send: (content) =>
          from.socket.request(
            "conversation.chat",
            target.chatData({ chatType: 2, recvId: to.user.id }, content),
          ),
      },
      receivers: [to.id],
    };
  });
}

/** Runs the private-chat latency measurement for one system. */
export async function measureChat(ctx, target, users, label) {
  const roomOf = (i) => `pair${Math.floor(i / 2)}`;
  const members = await connectMembers(target, users, roomOf, ctx.flags.connectConcurrency);
  listen(ctx.ledger, members);
  // One unmeasured message per pair first: a conversation's first message starts its object,
  // a cost paid once per conversation that would otherwise be most of the p99.
  await deliverAll({
    ledger: ctx.ledger,
    messages: chatPlan(target, members, members.length / 2),
    minGapMs: MIN_GAP_MS,
    timeoutMs: ctx.flags.timeoutMs,
  });
  const progress = step(`${target.name} ${label}`, ctx.flags.messages);
  const result = await ctx.profiler.measure(`${target.name} ${label}`, () =>
    deliverAll({
      ledger: ctx.ledger,
      messages: chatPlan(target, members, ctx.flags.messages),
      minGapMs: MIN_GAP_MS,
      timeoutMs: ctx.flags.timeoutMs,
      progress,
    }));
  progress.done(`p50 ${result.p50.toFixed(2)} ms, p99 ${result.p99.toFixed(2)} ms`);
  await Promise.all(members.map((m) => m.socket.close()));
  return result;
}

/** Users for the baseline's pairs (it needs no accounts). */
export function baselinePairs(ctx) {
  return baselineUsers(ctx.flags.pairs * 2, "pair");
}
