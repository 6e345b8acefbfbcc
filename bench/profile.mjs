#!/usr/bin/env -S deno run -A
/**
 * `deno run -A bench/profile.mjs --what user`: a CPU profile of the app's isolate (and of the local D1
 * isolate it queries) while one workload runs, summed by source module — the "where does the
 * time go" behind a figure of `npm run bench`. Workloads: user, friends, conversation (GET
 * routes, closed loop), login (bcrypt), connect (sockets), chat (private chat), fanout (one
 * group). Sizes come from the same flags as `npm run bench`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { bundleModules, openInspector, startProfile, stopProfile } from "./lib/cdp.mjs";
import { DeliveryLedger } from "./lib/delivery.mjs";
import { readFlags } from "./lib/flags.mjs";
import { closedLoop } from "./lib/http-load.mjs";
import { Profiler } from "./lib/profile.mjs";
import { apiClient, seedUsers } from "./lib/seed.mjs";
import { BUNDLE, startApp } from "./lib/servers.mjs";
import { appTarget } from "./lib/targets.mjs";
import { appPairs, measureChat } from "./phases/chat.mjs";
import { closeAll, openMany } from "./phases/connect.mjs";
import { appGroup, measureFanout } from "./phases/fanout.mjs";
import { prepareReaders } from "./phases/reader.mjs";

const INSPECTOR_PORT = 9339;
const OWN_FLAGS = ["--what", "--seconds", "--functions"];
const ROUTES = {
  user: "/v1/user/user",
  friends: "/v1/social/friends",
  conversation: "/v1/im/conversation",
};

/** Runs the chosen workload against the app in `ctx`. */
async function workload(ctx, what, seconds) {
  if (what in ROUTES) {
    // Several readers, round robin: each may read 600 times a minute (bench/phases/reader.mjs).
    const readers = await prepareReaders(ctx);
    const url = new URL(ROUTES[what], ctx.app.url);
    return () =>
      closedLoop({
        concurrency: 16,
        durationMs: seconds * 1000,
        makeRequest: (i) => ({
          url,
          headers: { Authorization: `Bearer ${readers[i % readers.length].token}` },
        }),
      });
  }
  if (what === "login") {
    const users = await seedUsers(ctx.app, 64, "login");
    return () =>
      closedLoop({
        concurrency: 4,
        durationMs: seconds * 1000,
        makeRequest: (i) => ({
          url: new URL("/v1/user/login", ctx.app.url),
          method: "POST",
          body: { phone: users[i % users.length].phone, password: "bench-password" },
        }),
      });
  }
  if (what === "connect") {
    const users = await seedUsers(ctx.app, ctx.flags.sockets, "idle");
    return async () => {
      const opened = await openMany(ctx, ctx.app, appTarget(ctx.app), users);
      await closeAll(opened.sockets);
      return opened.figures;
    };
  }
  if (what === "chat") {
    const pairs = await appPairs(ctx);
    return () => measureChat(ctx, appTarget(ctx.app), pairs, "chat");
  }
  if (what === "fanout") {
    const { users, groupId } = await appGroup(ctx, ctx.flags.groupSizes[0]);
    return () => measureFanout(ctx, appTarget(ctx.app), users, groupId, ctx.flags.fanoutMessages);
  }
  throw new Error(`unknown --what ${what}`);
}

function printTop(title, rows, count = 12) {
  console.log(`\n${title}`);
  for (const { name, percent } of rows.slice(0, count)) {
    console.log(`  ${String(percent).padStart(5)} %  ${name}`);
  }
}

async function main() {
  const { values } = parseArgs({
    options: {
      what: { type: "string", default: "user" },
      seconds: { type: "string", default: "5" },
      functions: { type: "boolean", default: false },
    },
    allowPositionals: true,
    strict: false,
  });
  const flags = readFlags(
    process.argv.slice(2).filter((arg, i, all) =>
      !OWN_FLAGS.includes(arg) && !["--what", "--seconds"].includes(all[i - 1])
    ),
  );
  const tempDir = mkdtempSync(path.join(flags.stateDir, "easy-chat-profile-"));
  const app = await startApp(tempDir, { inspectorPort: INSPECTOR_PORT });
  const ctx = {
    app,
    flags,
    api: apiClient(app),
    ledger: new DeliveryLedger(),
    profiler: new Profiler([app]),
  };
  try {
    const run = await workload(ctx, values.what, Number(values.seconds));
    const appSession = await openInspector(INSPECTOR_PORT, "core:user:easy-chat-edge");
    const d1Session = await openInspector(INSPECTOR_PORT, "d1:db");
    await Promise.all([startProfile(appSession), startProfile(d1Session)]);
    const result = await ctx.profiler.measure(values.what, run);
    const [appRows, d1Rows] = await Promise.all([
      stopProfile(appSession, bundleModules(BUNDLE), values.functions),
      stopProfile(d1Session, []),
    ]);
    console.log(`\n${values.what}: ${JSON.stringify(result)}`);
    console.log(`cores: ${JSON.stringify(ctx.profiler.phases.at(-1))}`);
    printTop("app isolate, self time by module", appRows);
    printTop("D1 isolate, self time", d1Rows, 6);
    appSession.close();
    d1Session.close();
  } finally {
    ctx.api.close();
    await app.mf.dispose();
    rmSync(tempDir, { recursive: true, force: true });
  }
}

await main();
