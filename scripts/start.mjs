#!/usr/bin/env node
// `npm start`: the service on a fresh machine, offline.
//   1. .dev.vars with a random 32-byte JWT_SECRET if missing (never committed),
//   2. local D1 migrations applied,
//   3. `wrangler dev` with Request.cf fetching off (no internet needed); extra args pass through,
//      e.g. `npm start -- --port 8799`.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";

const devVars = ".dev.vars";
const current = existsSync(devVars) ? readFileSync(devVars, "utf8") : "";
if (!/^JWT_SECRET\s*=/m.test(current)) {
  const secret = randomBytes(32).toString("hex");
  writeFileSync(
    devVars,
    `${current}${current && !current.endsWith("\n") ? "\n" : ""}JWT_SECRET="${secret}"\n`,
    {
      mode: 0o600,
    },
  );
  console.log(`created ${devVars} with a random JWT_SECRET`);
}

const env = {
  ...process.env,
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  WRANGLER_SEND_METRICS: "false",
};
const run = (args) => {
  const result = spawnSync("npx", ["wrangler", ...args], { stdio: "inherit", env });
  if (result.status !== 0) process.exit(result.status ?? 1);
};

run(["d1", "migrations", "apply", "DB", "--local"]);
run(["dev", ...process.argv.slice(2)]);
