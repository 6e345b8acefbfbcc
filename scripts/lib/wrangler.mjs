/**
 * Runs wrangler with the Deno binary that runs this script: wrangler >= 4.87 needs Node >= 22's
 * APIs, which Deno provides whatever Node the machine has. Offline: no Request.cf fetch, no
 * metrics.
 */
import { spawnSync } from "node:child_process";
import process from "node:process";

if (typeof Deno === "undefined") {
  console.error("run this through Deno: `deno task <name>`, or `npm start` / `npm test`");
  process.exit(1);
}

export const OFFLINE_ENV = {
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  WRANGLER_SEND_METRICS: "false",
};

/** The command and arguments that run `wrangler <args>`. */
export function wranglerCommand(args) {
  return { command: process.execPath, args: ["run", "-A", "npm:wrangler", ...args] };
}

/** Runs `wrangler <args>` with inherited stdio; exits this process when wrangler fails. */
export function runWrangler(args) {
  const { command, args: fullArgs } = wranglerCommand(args);
  const result = spawnSync(command, fullArgs, {
    stdio: "inherit",
    env: { ...process.env, ...OFFLINE_ENV },
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
