#!/usr/bin/env -S deno run -A
// `deno task start` (or `npm start`): the service and its web app on a fresh machine, offline.
//   1. .dev.vars with a random 32-byte JWT_SECRET and a local VAPID pair if missing (never
//      committed),
//   2. the web app built into web/dist (wrangler.toml's [assets] serves it at /),
//   3. local D1 migrations applied,
//   4. `wrangler dev` with Request.cf fetching off (no internet needed) and its local observability
//      off unless X_LOCAL_OBSERVABILITY says otherwise (below); extra args pass through,
//      e.g. `deno task start --port 8799` or `npm start -- --port 8799`. A `--persist-to <dir>`
//      applies to the migrations too, so a throwaway state directory works (the browser tests).
import { Buffer } from "node:buffer";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import process from "node:process";
import { buildWebApp } from "./lib/web-build.mjs";
import { runWrangler } from "./lib/wrangler.mjs";

const args = process.argv.slice(2);
const devVars = ".dev.vars";
/** Adds `lines` to .dev.vars (made if missing, readable by its owner only). */
function appendDevVars(lines, what) {
  const current = existsSync(devVars) ? readFileSync(devVars, "utf8") : "";
  const separator = current && !current.endsWith("\n") ? "\n" : "";
  writeFileSync(devVars, `${current}${separator}${lines.join("\n")}\n`, { mode: 0o600 });
  console.log(`${devVars}: added ${what}`);
}
const given = (name) => args.some((arg) => arg.startsWith(`${name}:`));
const inDevVars = (name) =>
  existsSync(devVars) && new RegExp(`^${name}\\s*=`, "m").test(readFileSync(devVars, "utf8"));
// A secret given on the command line (`--var JWT_SECRET:…`, the browser tests) needs no file.
if (!given("JWT_SECRET") && !inDevVars("JWT_SECRET")) {
  appendDevVars([`JWT_SECRET="${randomBytes(32).toString("hex")}"`], "a random JWT_SECRET");
}
// Web Push (docs/push.md): a local VAPID pair, and pushes to http://127.0.0.1 endpoints allowed
// (a push receiver on this machine; `deno task deploy` refuses PUSH_ALLOW_LOOPBACK=true).
// A run that passes its secrets on the command line (the browser tests) passes these too.
if (!given("JWT_SECRET") && !given("VAPID_PRIVATE_KEY") && !inDevVars("VAPID_PRIVATE_KEY")) {
  const { privateKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const { x, y, d } = privateKey.export({ format: "jwk" });
  const point = Buffer.concat([
    Buffer.from([4]),
    Buffer.from(x, "base64url"),
    Buffer.from(y, "base64url"),
  ]);
  appendDevVars([
    `VAPID_PUBLIC_KEY="${point.toString("base64url")}"`,
    `VAPID_PRIVATE_KEY="${d}"`,
    `VAPID_SUBJECT="mailto:admin@localhost"`,
    `PUSH_ALLOW_LOOPBACK="true"`,
  ], "a local VAPID key pair");
}

// The browser tests build once for all their services and set SKIP_WEB_BUILD=1.
if (process.env.SKIP_WEB_BUILD !== "1") buildWebApp();
const persistAt = args.indexOf("--persist-to");
const persist = persistAt >= 0 ? ["--persist-to", args[persistAt + 1]] : [];
runWrangler(["d1", "migrations", "apply", "DB", "--local", ...persist]);
// wrangler dev's local observability (on by default in the wrangler here, 4.164) records every invocation
// of the Worker and its Durable Objects, each WebSocket frame one, in a SQLite store with an
// fsync: 3,000 frames on one socket then hold the runtime's one thread for 0.5–4 s and every other
// user's request waits behind them (docs/limits.md, "A flood under npm start").
process.env.X_LOCAL_OBSERVABILITY ??= "false";
runWrangler(["dev", ...args]);
