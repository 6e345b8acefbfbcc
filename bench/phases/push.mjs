/**
 * Web Push's cost to a sender (docs/push.md): two 100-member groups in the same app, 10 members
 * online and 90 away in each; in one group the 90 have a push subscription (to a local endpoint
 * that answers 201), in the other none. Messages alternate between the groups, one at a time from
 * rotating online senders, and each send → ack is timed: pushes on ÷ pushes off is the cost the
 * pushes add to a send. The app runs with a `--push-window` coalescing window (default 2 s, not
 * the product's 30 s) so the away members are pushed again and again during the run: the window's
 * ends catch their conversations up, so the next message reaches them and pushes once more.
 */
import { createECDH, randomBytes } from "node:crypto";
import { createServer } from "node:http";
import { listen } from "../lib/messaging.mjs";
import { step } from "../lib/progress.mjs";
import { latencyHistogram } from "../lib/stats.mjs";
import { stampContent } from "../lib/delivery.mjs";
import { inParallel } from "../lib/ws-client.mjs";
import { createGroup, seedUsers } from "../lib/seed.mjs";
import { connectMembers } from "./chat.mjs";

const GROUP_SIZE = 100;
const ONLINE = 10;
const GAP_MS = 100;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A push endpoint on 127.0.0.1 that takes every push (201) and counts them. */
async function startEndpoint() {
  let received = 0;
  const server = createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      received += 1;
      response.writeHead(201).end();
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    received: () => received,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** A group with `ONLINE` members connected; with `endpoint`, every other member subscribed. */
async function pushGroup(ctx, target, label, endpoint) {
  const users = await seedUsers(ctx.app, GROUP_SIZE, label);
  const groupId = await createGroup(ctx.api, users, `bench ${label}`);
  if (endpoint) {
    await inParallel(GROUP_SIZE - ONLINE, 8, (i) => {
      const device = createECDH("prime256v1");
      device.generateKeys();
      return ctx.api.call("POST", "/v1/push/subscription", users[ONLINE + i].token, {
        endpoint: `${endpoint.url}/push/${label}${i}`,
        keys: {
          p256dh: device.getPublicKey().toString("base64url"),
          auth: randomBytes(16).toString("base64url"),
        },
      });
    });
  }
  const online = await connectMembers(
    target,
    users.slice(0, ONLINE),
    () => label,
    ctx.flags.connectConcurrency,
  );
  listen(ctx.ledger, online);
  return { online, to: { chatType: 1, recvId: groupId }, acks: latencyHistogram(), sent: 0 };
}

/** One message from the group's next online sender; its ack time is recorded. */
async function sendOne(ctx, target, group, record = true) {
  const sender = group.online[group.sent % ONLINE];
  group.sent += 1;
  const n = ctx.ledger.nextSerial(sender.user.id);
  for (const member of group.online) {
    if (member !== sender) ctx.ledger.expect(member.id, `${sender.user.id}:${n}`);
  }
  const started = performance.now();
  await sender.socket.request(
    "conversation.chat",
    target.chatData(group.to, stampContent(sender.user.id, n)),
  );
  if (record) group.acks.record(performance.now() - started);
}

/** The push phase: send → ack p99 with pushes on and off, alternating, in one run. */
export async function measurePushCost(ctx, target) {
  const endpoint = await startEndpoint();
  try {
    const on = await pushGroup(ctx, target, "pushon", endpoint);
    const off = await pushGroup(ctx, target, "pushoff", undefined);
    // One unmeasured message each: the groups' objects start, the 90 go away (and are pushed).
    await sendOne(ctx, target, on, false);
    await sendOne(ctx, target, off, false);
    await sleep(1_000);
    const count = ctx.flags.pushMessages;
    const progress = step(`${target.name} push on / off, ${count} messages each`, count * 2);
    for (let i = 0; i < count; i++) {
      for (const group of [on, off]) {
        const started = performance.now();
        await sendOne(ctx, target, group);
        progress.tick();
        await sleep(Math.max(0, started + GAP_MS - performance.now()));
      }
    }
    await sleep(2_000);
    const result = {
      on: { p50: on.acks.at(50), p99: on.acks.at(99) },
      off: { p50: off.acks.at(50), p99: off.acks.at(99) },
      pushes: endpoint.received(),
    };
    progress.done(
      `p99 on ${result.on.p99.toFixed(1)} ms, off ${
        result.off.p99.toFixed(1)
      } ms, ${result.pushes} pushes sent`,
    );
    await Promise.all([...on.online, ...off.online].map((m) => m.socket.close()));
    return result;
  } finally {
    await endpoint.close();
  }
}
