/**
 * Starts the two systems under test through Miniflare's API (no `wrangler dev` proxy):
 * - the app as deployed: the bundle `wrangler deploy --dry-run` writes, with the bindings
 *   wrangler.toml declares, local D1 with every migration applied, a random JWT_SECRET — built
 *   from bench/app/entry.ts, the app's entry plus the bench's counters (see that file);
 * - the baseline Worker + Durable Object from bench/baseline/.
 * Each runs in its own workerd process, so memory and CPU can be read per system.
 */
import { spawnSync } from "node:child_process";
import { Buffer } from "node:buffer";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { createWriteStream, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { unstable_getMiniflareWorkerOptions, unstable_splitSqlQuery } from "wrangler";
import { OFFLINE_ENV, wranglerCommand } from "../../scripts/lib/wrangler.mjs";
import { workerdChildren } from "./proc.mjs";
import { buildWebApp } from "../../scripts/lib/web-build.mjs";

const ROOT = path.resolve(import.meta.dirname, "../..");
const BUILD_DIR = path.join(ROOT, "bench/.build");
// The app's own entry wrapped with the bench's counters; wrangler names the bundle after it.
const ENTRY = "bench/app/entry.ts";
export const BUNDLE = path.join(BUILD_DIR, "entry.js");

let configured;
/** wrangler.toml as Miniflare worker options (read once: wrangler logs each read). */
function configuredOptions() {
  configured ??= unstable_getMiniflareWorkerOptions(path.join(ROOT, "wrangler.toml")).workerOptions;
  return configured;
}

/**
 * Bundles the Worker the way `wrangler deploy` would, without uploading it: wrangler.toml's
 * settings and bindings, with the bench's entry given as the script in place of its `main`.
 */
export function buildApp() {
  // wrangler refuses to bundle a Worker whose [assets] directory (the built web app) is missing.
  buildWebApp();
  const { command, args } = wranglerCommand(
    ["deploy", ENTRY, "--dry-run", "--outdir", BUILD_DIR, "--config", "wrangler.toml"],
  );
  const result = spawnSync(command, args, {
    cwd: ROOT,
    env: { ...process.env, ...OFFLINE_ENV },
    encoding: "utf8",
  });
  if (result.status !== 0) {
    throw new Error(`wrangler deploy --dry-run failed:\n${result.stdout}\n${result.stderr}`);
  }
  return BUNDLE;
}

/**
 * workerd's output goes to a log file, so the progress display stays readable: its raw stdio,
 * and the Worker's console lines (one JSON line per request), which Miniflare 5 hands over as
 * structured logs.
 */
function runtimeLog(tempDir, name) {
  const file = path.join(tempDir, `${name}.log`);
  const out = createWriteStream(file);
  return {
    file,
    handleRuntimeStdio(stdout, stderr) {
      stdout.pipe(out);
      stderr.pipe(out);
    },
    handleStructuredLogs(log) {
      out.write(`${log.message}\n`);
    },
  };
}

/** Starts a Miniflare and returns it with its URL and its own workerd pid. */
async function startMiniflare(options) {
  const before = new Set(workerdChildren());
  // Options in Miniflare 4's flat shape (what wrangler's worker options still are), converted to
  // Miniflare 5's `workers: [...]` shape.
  const mf = new Miniflare(
    convertV4MiniflareOptions({ host: "127.0.0.1", port: 0, cf: false, ...options }),
  );
  const url = await mf.ready;
  const pid = workerdChildren().find((candidate) => !before.has(candidate));
  if (pid === undefined) throw new Error("could not find the workerd process Miniflare started");
  return { mf, url: new URL(url), pid };
}

/**
 * Runs every migrations/*.sql file, in name order, against the local D1 database `DB` (the app's,
 * and the baseline's, whose D1 floor reads the same `users` table).
 */
async function applyMigrations(mf) {
  const db = await mf.getD1Database("DB");
  const dir = path.join(ROOT, "migrations");
  const files = readdirSync(dir).filter((name) => name.endsWith(".sql")).sort();
  for (const file of files) {
    const statements = unstable_splitSqlQuery(readFileSync(path.join(dir, file), "utf8"));
    await db.batch(statements.map((sql) => db.prepare(sql)));
  }
  return db;
}

/**
 * The app: same bundle and bindings as deployed, state kept under `tempDir`. `extra` adds
 * Miniflare options (bench/profile.mjs opens the inspector with it).
 */
/** A fresh VAPID key pair as the app's bindings (base64url: the public point, the scalar). */
function vapidBindings() {
  const { privateKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const { x, y, d } = privateKey.export({ format: "jwk" });
  const point = Buffer.concat([
    Buffer.from([4]),
    Buffer.from(x, "base64url"),
    Buffer.from(y, "base64url"),
  ]);
  return {
    VAPID_PUBLIC_KEY: point.toString("base64url"),
    VAPID_PRIVATE_KEY: d,
    VAPID_SUBJECT: "mailto:bench@localhost",
  };
}

export async function startApp(tempDir, { pushWindowSeconds, ...extra } = {}) {
  const scriptPath = buildApp();
  // The bundle is one module: wrangler's module rules (for unbundled sources) do not apply, and
  // Miniflare 5 refuses to convert them. The web app's static assets are left out: deployed, the
  // platform routes /v1/* to the Worker before any asset lookup, while Miniflare would put a
  // router Worker of its own in front of every request, on the same thread.
  const { modulesRules: _unused, assets: _assets, ...workerOptions } = configuredOptions();
  const jwtSecret = randomBytes(32).toString("hex");
  const log = runtimeLog(tempDir, "app");
  const started = await startMiniflare({
    ...workerOptions,
    name: "easy-chat-edge",
    modules: true,
    scriptPath,
    // .dev.vars must not leak in: a fresh secret, and D1 rather than any libSQL URL.
    bindings: {
      ...workerOptions.bindings,
      JWT_SECRET: jwtSecret,
      LIBSQL_URL: "",
      LIBSQL_AUTH_TOKEN: "",
      // Web Push to the push phase's endpoint on 127.0.0.1 (bench/phases/push.mjs).
      ...vapidBindings(),
      PUSH_ALLOW_LOOPBACK: "true",
      PUSH_COALESCE_SECONDS: String(pushWindowSeconds ?? 2),
    },
    defaultPersistRoot: path.join(tempDir, "app"),
    handleRuntimeStdio: log.handleRuntimeStdio,
    handleStructuredLogs: log.handleStructuredLogs,
    ...extra,
  });
  const db = await applyMigrations(started.mf);
  return { ...started, db, jwtSecret, logFile: log.file, name: "app" };
}

/** The baseline Worker, its objects and its D1, state kept under `tempDir`. */
export async function startBaseline(tempDir) {
  const log = runtimeLog(tempDir, "baseline");
  const started = await startMiniflare({
    name: "baseline",
    // Listed one by one: Miniflare does not follow imports. bcrypt-ts is the app's library, for
    // the baseline's one-compare route.
    modulesRoot: ROOT,
    modules: [
      { type: "ESModule", path: path.join(ROOT, "bench/baseline/worker.mjs") },
      { type: "ESModule", path: path.join(ROOT, "node_modules/bcrypt-ts/dist/browser.js") },
    ],
    // The app's compatibility date, so both run the same runtime behaviour.
    compatibilityDate: configuredOptions().compatibilityDate,
    // The D1 floor's database: local D1 like the app's, with the app's schema.
    d1Databases: ["DB"],
    durableObjects: {
      ROOM: { className: "Room", useSQLite: true },
      BOX: { className: "Box", useSQLite: true },
      HUB: { className: "Hub", useSQLite: true },
    },
    defaultPersistRoot: path.join(tempDir, "baseline"),
    handleRuntimeStdio: log.handleRuntimeStdio,
    handleStructuredLogs: log.handleStructuredLogs,
  });
  const db = await applyMigrations(started.mf);
  return { ...started, db, logFile: log.file, name: "baseline" };
}
