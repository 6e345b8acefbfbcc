#!/usr/bin/env -S deno run -A
// `deno task start` (or `npm start`): the service on a fresh machine, offline.
//   1. .dev.vars with a random 32-byte JWT_SECRET if missing (never committed),
//   2. local D1 migrations applied,
//   3. `wrangler dev` with Request.cf fetching off (no internet needed); extra args pass through,
//      e.g. `deno task start --port 8799` or `npm start -- --port 8799`.
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import process from "node:process";
import { runWrangler } from "./lib/wrangler.mjs";

const devVars = ".dev.vars";
const current = existsSync(devVars) ? readFileSync(devVars, "utf8") : "";
if (!/^JWT_SECRET\s*=/m.test(current)) {
  const secret = randomBytes(32).toString("hex");
  const separator = current && !current.endsWith("\n") ? "\n" : "";
  writeFileSync(devVars, `${current}${separator}JWT_SECRET="${secret}"\n`, { mode: 0o600 });
  console.log(`created ${devVars} with a random JWT_SECRET`);
}

runWrangler(["d1", "migrations", "apply", "DB", "--local"]);
runWrangler(["dev", ...process.argv.slice(2)]);
