#!/usr/bin/env -S deno run -A
// Run by `deno task deploy` before `wrangler deploy`: refuses a configuration meant for local
// development only. PUSH_ALLOW_LOOPBACK=true would let a subscription make the deployed Worker
// send pushes to 127.0.0.1 (docs/push.md), so it may not be set in wrangler.toml's vars.
import { readFileSync } from "node:fs";
import process from "node:process";

const config = readFileSync("wrangler.toml", "utf8");
if (/^\s*PUSH_ALLOW_LOOPBACK\s*=\s*"true"/m.test(config)) {
  console.error('deploy refused: wrangler.toml sets PUSH_ALLOW_LOOPBACK = "true" (local only)');
  process.exit(1);
}
