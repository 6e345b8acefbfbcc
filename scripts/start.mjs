#!/usr/bin/env -S deno run -A
// `deno task start` (or `npm start`): the service and its web app on a fresh machine, offline.
//   1. .dev.vars with a random 32-byte JWT_SECRET if missing (never committed),
//   2. the web app built into web/dist (wrangler.toml's [assets] serves it at /),
//   3. local D1 migrations applied,
//   4. `wrangler dev` with Request.cf fetching off (no internet needed); extra args pass through,
//      e.g. `deno task start --port 8799` or `npm start -- --port 8799`. A `--persist-to <dir>`
//      applies to the migrations too, so a throwaway state directory works (the browser tests).
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import process from "node:process";
import { buildWebApp } from "./lib/web-build.mjs";
import { runWrangler } from "./lib/wrangler.mjs";

const args = process.argv.slice(2);
const devVars = ".dev.vars";
const current = existsSync(devVars) ? readFileSync(devVars, "utf8") : "";
// A secret given on the command line (`--var JWT_SECRET:…`, the browser tests) needs no file.
const secretGiven = args.some((arg) => arg.startsWith("JWT_SECRET:"));
if (!secretGiven && !/^JWT_SECRET\s*=/m.test(current)) {
  const secret = randomBytes(32).toString("hex");
  const separator = current && !current.endsWith("\n") ? "\n" : "";
  writeFileSync(devVars, `${current}${separator}JWT_SECRET="${secret}"\n`, { mode: 0o600 });
  console.log(`created ${devVars} with a random JWT_SECRET`);
}

// The browser tests build once for all their services and set SKIP_WEB_BUILD=1.
if (process.env.SKIP_WEB_BUILD !== "1") buildWebApp();
const persistAt = args.indexOf("--persist-to");
const persist = persistAt >= 0 ? ["--persist-to", args[persistAt + 1]] : [];
runWrangler(["d1", "migrations", "apply", "DB", "--local", ...persist]);
runWrangler(["dev", ...args]);
