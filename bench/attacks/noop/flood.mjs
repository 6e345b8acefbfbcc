#!/usr/bin/env -S deno run -A
/**
 * The flood of bench/attacks (3,000 frames at once on one socket) against the no-op Worker in
 * worker.ts, while a trivial `GET /ping` loops: what the runtime alone costs, with none of the
 * app's code on the socket. Serve the Worker first, under `wrangler dev` or plain Miniflare:
 *   deno run -A npm:wrangler dev -c bench/attacks/noop/wrangler.toml --port 8793
 *   deno run -A bench/attacks/noop/flood.mjs --url http://localhost:8793
 */
import { parseArgs } from "node:util";
import { WebSocket } from "ws";

const { values } = parseArgs({ options: { url: { type: "string" }, runs: { type: "string" } } });
const base = new URL(values.url ?? "http://localhost:8793");
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const frame = '{"frameType":0,"id":"x","method":"no.such"}';

async function pingLoop(stop) {
  const latencies = [];
  while (!stop()) {
    const started = performance.now();
    await (await fetch(new URL("/ping", base))).text();
    latencies.push(performance.now() - started);
  }
  return latencies;
}

function summary(latencies) {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  const ms = (q) => at(q).toFixed(0);
  return `n=${sorted.length} p50=${ms(0.5)} ms p99=${ms(0.99)} ms max=${ms(1)} ms`;
}

function openSocket() {
  const ws = new WebSocket(`ws://${base.host}/ws`, { perMessageDeflate: false });
  const closed = new Promise((done) => ws.on("close", (code) => done(code)));
  return new Promise((resolve, reject) => {
    ws.on("open", () => resolve({ ws, closed }));
    ws.on("error", reject);
  });
}

for (let run = 0; run < Number(values.runs ?? 1); run += 1) {
  const socket = await openSocket();
  let stop = false;
  const idle = pingLoop(() => stop);
  await sleep(1500);
  stop = true;
  const idleLatencies = await idle;
  stop = false;
  const busy = pingLoop(() => stop);
  const started = performance.now();
  for (let i = 0; i < 3000; i += 1) socket.ws.send(frame);
  const code = await Promise.race([socket.closed, sleep(15_000)]);
  const closedAfter = performance.now() - started;
  await sleep(1500);
  stop = true;
  console.log(`close ${code} after ${closedAfter.toFixed(0)} ms`);
  console.log(`  GET /ping idle:   ${summary(idleLatencies)}`);
  console.log(`  GET /ping during: ${summary(await busy)}`);
}
process.exit(0);
