/**
 * The order of a run. App and baseline alternate inside each phase so drift on a shared machine
 * hits both; the connect phase's sockets stay open for the "with N sockets" chat figures.
 */
import { heading } from "../lib/progress.mjs";
import { seedUsers } from "../lib/seed.mjs";
import { appTarget, baselineTarget, baselineUsers, boxBaselineTarget } from "../lib/targets.mjs";
import { runCalm } from "./calm.mjs";
import { appPairs, measureChat } from "./chat.mjs";
import { closeAll, openMany, recordConnect } from "./connect.mjs";
import {
  appGroup,
  baselineGroup,
  measureAppFanout,
  measureCallsPerMessage,
  measureFanout,
} from "./fanout.mjs";
import { measureFlood } from "./flood.mjs";
import { measureAccounts, measureReads } from "./http.mjs";
import { measurePushCost } from "./push.mjs";
import { prepareReaders } from "./reader.mjs";
import { measureUpload, UPLOAD_MIB } from "./upload.mjs";
import { runSearch } from "./search.mjs";

/** Private chat idle and, if `connect` runs, with its sockets open. */
async function chatAndConnect(ctx, app, base) {
  const { flags, results } = ctx;
  const pairs = await appPairs(ctx);
  if (flags.phases.has("chat")) {
    heading("private chat, idle");
    const baseIdle = await measureChat(
      ctx,
      base,
      baselineUsers(flags.pairs * 2, "idlepair"),
      "chat idle",
    );
    const oursIdle = await measureChat(ctx, app, pairs, "chat idle");
    results.addLoad(
      "private chat, idle",
      "",
      { ...oursIdle, perSecond: NaN },
      baseIdle,
      "send→push",
    );
    results.add("private chat, idle send→ack p99", "ms", oursIdle.ack.p99, baseIdle.ack.p99);
    ctx.idleAck = { ours: oursIdle.ack.p99, base: baseIdle.ack.p99 };
  }
  if (!flags.phases.has("connect")) return;
  heading(`WebSocket connects (${flags.sockets} sockets)`);
  const idleUsers = await seedUsers(ctx.app, flags.sockets, "idle");
  const baseOpen = await openMany(ctx, ctx.baseline, base, baselineUsers(flags.sockets, "idle"));
  const oursOpen = await openMany(ctx, ctx.app, app, idleUsers);
  recordConnect(ctx, oursOpen.figures, baseOpen.figures);
  if (flags.phases.has("chat")) {
    heading(`private chat with ${flags.sockets} other sockets connected`);
    const label = `chat, ${flags.sockets} sockets open`;
    const baseBusy = await measureChat(
      ctx,
      base,
      baselineUsers(flags.pairs * 2, "busypair"),
      label,
    );
    const oursBusy = await measureChat(ctx, app, pairs, label);
    results.addLoad(
      `private chat, ${flags.sockets} sockets open`,
      "",
      { ...oursBusy, perSecond: NaN },
      baseBusy,
      "send→push",
    );
  }
  await closeAll([...baseOpen.sockets, ...oursOpen.sockets]);
}

/** Every phase named in `--phases`, in a fixed order. */
export async function runPhases(ctx) {
  const { flags, results } = ctx;
  const app = appTarget(ctx.app);
  const base = baselineTarget(ctx.baseline);
  if (flags.phases.has("accounts")) {
    heading("HTTP: register + login (bcrypt)");
    await measureAccounts(ctx);
  }
  if (flags.phases.has("chat") || flags.phases.has("connect")) await chatAndConnect(ctx, app, base);
  if (flags.phases.has("fanout")) {
    for (const size of flags.groupSizes) {
      heading(`group fan-out, ${size} members`);
      const { users, groupId } = await appGroup(ctx, size);
      const baseFan = await measureFanout(
        ctx,
        base,
        baselineGroup(size),
        undefined,
        flags.fanoutMessages,
      );
      const boxFan = await measureFanout(
        ctx,
        boxBaselineTarget(ctx.baseline),
        baselineGroup(size),
        undefined,
        flags.fanoutMessages,
      );
      const oursFan = await measureAppFanout(ctx, app, users, groupId, flags.fanoutMessages);
      results.addLoad(
        `group fan-out ${size}`,
        "deliveries/s",
        { ...oursFan, perSecond: oursFan.deliveriesPerSecond },
        { ...baseFan, perSecond: baseFan.deliveriesPerSecond },
        "to last member",
      );
      // The floor of any design that holds each user's sockets in an object of its own and calls
      // it once per message (the app's shape), against the bare broadcast; then ours against it.
      results.addLoad(
        `group fan-out ${size}, object-per-user floor vs bare broadcast`,
        "deliveries/s",
        { ...boxFan, perSecond: boxFan.deliveriesPerSecond },
        { ...baseFan, perSecond: baseFan.deliveriesPerSecond },
        "to last member",
      );
      results.addLoad(
        `group fan-out ${size}, ours vs the object-per-user floor`,
        "deliveries/s",
        { ...oursFan, perSecond: oursFan.deliveriesPerSecond },
        { ...boxFan, perSecond: boxFan.deliveriesPerSecond },
        "to last member",
      );
      results.add(
        `group fan-out ${size}, send→ack p99 while it runs`,
        "ms",
        oursFan.ackUnderFanout.p99,
        baseFan.ackUnderFanout.p99,
      );
      ctx.idleAck ??= { ours: NaN, base: NaN };
      results.add(
        `group fan-out ${size}, send→ack p99 while it runs ÷ idle send→ack p99`,
        "×",
        oursFan.ackUnderFanout.p99 / ctx.idleAck.ours,
        baseFan.ackUnderFanout.p99 / ctx.idleAck.base,
      );
      results.add(
        `group fan-out ${size}, storage rows written per delivered message`,
        "rows",
        oursFan.rowsPerDelivery,
        0,
      );
      results.add(
        `group fan-out ${size}, disk writes per delivered message (${flags.stateDir})`,
        "writes",
        oursFan.diskWritesPerDelivery,
        NaN,
      );
      if (size === Math.max(...flags.groupSizes)) {
        heading(`group of ${size}, ${10} members online`);
        const cost = await measureCallsPerMessage(ctx, app, users, groupId, flags.fanoutMessages);
        results.add(
          `group of ${size}, 10 online: object calls per group message (${
            cost.perSecond.toFixed(0)
          } messages/s)`,
          "calls",
          cost.callsPerMessage,
          NaN,
        );
        results.add(
          `group of ${size}, 10 online: storage rows written per group message`,
          "rows",
          cost.rowsPerMessage,
          NaN,
        );
      }
    }
  }
  if (flags.phases.has("calm")) await runCalm(ctx);
  if (flags.phases.has("upload")) {
    heading(`media upload, ${UPLOAD_MIB} MiB, ours vs a bare Worker into R2`);
    await measureUpload(ctx);
  }
  if (flags.phases.has("search")) await runSearch(ctx);
  if (flags.phases.has("push")) {
    heading(`Web Push: ${100} members, 90 away, pushes on vs off`);
    const push = await measurePushCost(ctx, app);
    results.add(
      "push: send→ack p99, 90 of 100 away, pushes on vs off",
      "ms",
      push.on.p99,
      push.off.p99,
    );
    results.add(
      "push: send→ack p50, 90 of 100 away, pushes on vs off",
      "ms",
      push.on.p50,
      push.off.p50,
    );
    results.add("push: pushes sent during the run", "pushes", push.pushes, NaN);
  }
  if (flags.phases.has("reads")) {
    heading("HTTP: reads");
    await measureReads(ctx, await prepareReaders(ctx));
  }
  if (flags.phases.has("flood")) {
    heading("a socket flood next to another user's reads");
    await measureFlood(ctx);
  }
}
