/**
 * HTTP figures: register + login (bcrypt-bound), then the three most-called reads, each against
 * the baseline's constant route (no database) and against its D1 floor (one primary-key select
 * on a local D1 of the same size) at the same concurrency.
 */
import { randomUUID } from "node:crypto";
import { closedLoop } from "../lib/http-load.mjs";
import { cpuSeconds } from "../lib/proc.mjs";
import { step } from "../lib/progress.mjs";
import { insertUsers, nextPhone } from "../lib/seed.mjs";

const PASSWORD = "bench-password";
// Before each measured loop: JIT warm-up and connection set-up, not part of any figure.
const WARMUP_MS = 500;

// The app counts as settled once its workerd stays under this many cores for one window.
const SETTLED_CORES = 0.05;
const SETTLE_WINDOW_MS = 1000;
const SETTLE_LIMIT_MS = 60_000;

/**
 * Waits until a system's workerd is idle (the calm phase uses it too, between systems). The
 * app's objects share the one JS thread with the HTTP Worker: right after the connect phase
 * closes its sockets, 1,000 UserSessions handle their closes and are then evicted, which
 * blocked every request in flight for 1–7 s (seen as a 1,000 ms p99 of whichever read ran
 * then). That is teardown of an earlier phase, not a read.
 */
export async function settle(system) {
  const progress = step(`wait for the ${system.name} to be idle`);
  const started = performance.now();
  let cores = Infinity;
  while (cores > SETTLED_CORES && performance.now() - started < SETTLE_LIMIT_MS) {
    const before = cpuSeconds(system.pid);
    await new Promise((resolve) => setTimeout(resolve, SETTLE_WINDOW_MS));
    cores = (cpuSeconds(system.pid) - before) / (SETTLE_WINDOW_MS / 1000);
  }
  progress.done(`${cores.toFixed(2)} cores`);
}

/** The baseline's trivial route, closed loop at `concurrency`. */
function baselineLoop(ctx, concurrency, options) {
  const url = new URL("/http", ctx.baseline.url);
  return closedLoop({ makeRequest: () => ({ url }), concurrency, ...options });
}

/** A closed loop with a progress line. */
async function timed(ctx, label, loop) {
  const progress = step(label);
  const result = await ctx.profiler.measure(label, () => loop(() => progress.tick()));
  progress.done(`${Math.round(result.perSecond)}/s, p50 ${result.p50.toFixed(2)} ms`);
  return result;
}

/**
 * Registers `accounts` accounts, then makes `logins` logins over them, round robin. Both are
 * bcrypt-bound (one hash, one compare per request), which is what these figures show.
 */
export async function measureAccounts(ctx) {
  const { accounts: count, logins, bcryptConcurrency: concurrency } = ctx.flags;
  const accounts = Array.from({ length: count }, () => ({ phone: nextPhone() }));
  await baselineLoop(ctx, concurrency, { durationMs: WARMUP_MS });
  const base = await timed(
    ctx,
    "baseline GET /http (bcrypt concurrency)",
    (onDone) =>
      baselineLoop(ctx, concurrency, { durationMs: ctx.flags.httpSeconds * 1000, onDone }),
  );
  const register = await timed(ctx, "app POST /v1/user/register", (onDone) =>
    closedLoop({
      concurrency,
      count,
      onDone,
      makeRequest: (i) => ({
        url: new URL("/v1/user/register", ctx.app.url),
        method: "POST",
        // Each account from its own address: the per-IP registration limit (30/h) is not
        // what this measures.
        headers: { "CF-Connecting-IP": `10.9.${i >> 8}.${i & 255}` },
        body: { phone: accounts[i].phone, password: PASSWORD, nickname: `reg${i}` },
      }),
    }));
  const login = await timed(ctx, "app POST /v1/user/login", (onDone) =>
    closedLoop({
      concurrency,
      count: logins,
      onDone,
      makeRequest: (i) => ({
        url: new URL("/v1/user/login", ctx.app.url),
        method: "POST",
        body: { phone: accounts[i % count].phone, password: PASSWORD },
      }),
    }));
  // The floor of a login: one bcrypt compare in workerd, same library, cost and concurrency.
  const compare = await timed(ctx, "baseline POST /bcrypt (one compare)", (onDone) =>
    closedLoop({
      concurrency,
      count: logins,
      onDone,
      makeRequest: () => ({
        url: new URL("/bcrypt", ctx.baseline.url),
        method: "POST",
        body: { password: PASSWORD },
      }),
    }));
  ctx.results.addLoad("POST /v1/user/register", "req/s", register, base);
  ctx.results.addLoad("POST /v1/user/login", "logins/s", login, base);
  // Target: a login costs at most 1.3 compares, i.e. a ratio of at least 1 / 1.3 ≈ 0.77.
  ctx.results.addLoad("POST /v1/user/login vs one bcrypt compare", "logins/s", login, compare);
}

/**
 * Gives the baseline's D1 as many users as the app's D1 holds now (a primary key's depth grows
 * with its table) and returns the id the floor reads, one from the middle.
 */
async function seedFloor(ctx) {
  const { n } = await ctx.app.db.prepare("SELECT count(*) AS n FROM users").first();
  const users = Array.from({ length: n }, (_, i) => ({
    id: randomUUID().replaceAll("-", ""),
    phone: nextPhone(),
    nickname: `floor${i}`,
  }));
  // Any string serves as the hash: the floor only reads the row.
  await insertUsers(ctx.baseline.db, users, "$2b$10$".padEnd(60, "x"));
  return users[Math.floor(n / 2)].id;
}

/** The baseline's D1 floor route, closed loop, reading user `id`. */
function floorLoop(ctx, id, concurrency, options) {
  const url = new URL(`/d1?id=${id}`, ctx.baseline.url);
  return closedLoop({ makeRequest: () => ({ url }), concurrency, ...options });
}

/**
 * GET routes the client calls most, as the `readers` round robin (each has friends and
 * conversations; several of them so that no one meets the read budget, see reader.mjs).
 */
export async function measureReads(ctx, readers) {
  const { httpConcurrency: concurrency, httpSeconds } = ctx.flags;
  const durationMs = httpSeconds * 1000;
  const floorId = await seedFloor(ctx);
  await settle(ctx.app);
  await baselineLoop(ctx, concurrency, { durationMs: WARMUP_MS });
  const base = await timed(
    ctx,
    "baseline GET /http",
    (onDone) => baselineLoop(ctx, concurrency, { durationMs, onDone }),
  );
  await floorLoop(ctx, floorId, concurrency, { durationMs: WARMUP_MS });
  const floor = await timed(
    ctx,
    "baseline GET /d1 (D1 floor)",
    (onDone) => floorLoop(ctx, floorId, concurrency, { durationMs, onDone }),
  );
  // What one D1 read costs on its own, so the routes' two ratios can be told apart.
  ctx.results.addLoad(
    "D1 floor (one primary-key select) vs no-database baseline",
    "req/s",
    floor,
    base,
  );
  for (const route of ["/v1/user/user", "/v1/social/friends", "/v1/im/conversation"]) {
    const url = new URL(route, ctx.app.url);
    const makeRequest = (i) => ({
      url,
      headers: { Authorization: `Bearer ${readers[i % readers.length].token}` },
    });
    await closedLoop({ concurrency, durationMs: WARMUP_MS, makeRequest });
    const ours = await timed(
      ctx,
      `app GET ${route}`,
      (onDone) => closedLoop({ concurrency, durationMs, onDone, makeRequest }),
    );
    // The name the earlier runs used: against the no-database baseline.
    ctx.results.addLoad(`GET ${route}`, "req/s", ours, base);
    ctx.results.addLoad(`GET ${route} vs the D1 floor`, "req/s", ours, floor);
  }
}
