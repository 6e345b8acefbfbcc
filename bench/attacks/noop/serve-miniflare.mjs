#!/usr/bin/env -S deno run -A
/**
 * Serves the no-op Worker (worker.ts) under plain Miniflare, with no `wrangler dev` in front, for
 * comparing the two with flood.mjs. `--inspect` attaches to the Worker's isolate the way
 * `wrangler dev` always does (an inspector session with `Runtime.enable`, for its console logs):
 *   deno run -A npm:wrangler deploy --dry-run -c bench/attacks/noop/wrangler.toml --outdir /tmp/noop-out
 *   deno run -A bench/attacks/noop/serve-miniflare.mjs /tmp/noop-out/worker.js 8794 [--inspect]
 */
import { readFileSync } from "node:fs";
import process from "node:process";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { openInspector } from "../../lib/cdp.mjs";

const [scriptPath, port = "8794", inspect] = process.argv.slice(2);
const INSPECTOR_PORT = Number(port) + 1000;
const mf = new Miniflare(convertV4MiniflareOptions({
  host: "127.0.0.1",
  port: Number(port),
  cf: false,
  name: "noop",
  modules: [{ type: "ESModule", path: "worker.js", contents: readFileSync(scriptPath, "utf8") }],
  compatibilityDate: "2026-11-09",
  durableObjects: { NOOP_SOCKET: { className: "NoopSocket", useSQLite: true } },
  ...(inspect === "--inspect" ? { inspectorPort: INSPECTOR_PORT } : {}),
}));
console.log(`no-op Worker on ${await mf.ready}`);
if (inspect === "--inspect") {
  const session = await openInspector(INSPECTOR_PORT, "core:user:noop");
  await session.send("Runtime.enable");
  console.log(`inspector session on ${INSPECTOR_PORT} with Runtime.enable`);
}
