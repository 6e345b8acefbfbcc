#!/usr/bin/env -S deno run -A
/**
 * Issue 24's findings 2–6, tried against a running server the way an attacker with one ordinary
 * account would, each printing the counts that tell whether the contract's §15 holds:
 *
 *   npm start -- --port 8787 &
 *   deno run -A bench/attacks/run.mjs --url http://localhost:8787 [--only flood,steady,big,sync,reads,upgrades,logins]
 *
 * Accounts are registered through the API, each from its own `CF-Connecting-IP` (the local
 * server takes the client's header; see docs/limits.md "Client IP").
 */
import { parseArgs } from "node:util";
import WebSocket from "ws";
import { ATTACKS } from "./attacks.mjs";

const { values } = parseArgs({
  options: {
    url: { type: "string", default: "http://localhost:8787" },
    only: { type: "string", default: Object.keys(ATTACKS).join(",") },
  },
});
const base = new URL(values.url);

let ipCounter = Math.floor(Math.random() * 200);

/** JSON over HTTP with the envelope unwrapped: `{status, body, headers}`. */
async function call(method, path, { token, body, ip } = {}) {
  const headers = { "CF-Connecting-IP": ip ?? `10.77.0.${(ipCounter++ % 250) + 1}` };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(new URL(path, base), {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json(), headers: response.headers };
}

/** A fresh account: `{id, phone, token, password}`. */
async function register(label) {
  const phone = `1${String(Date.now()).slice(-7)}${
    String(Math.floor(Math.random() * 1000)).padStart(3, "0")
  }`;
  const password = "attack-password";
  const ip = `10.88.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
  const answer = await call("POST", "/v1/user/register", {
    ip,
    body: { phone, password, nickname: label },
  });
  if (answer.status !== 200) throw new Error(`register: ${JSON.stringify(answer.body)}`);
  const { token } = answer.body.data;
  return { id: decodeSub(token), phone, token, password };
}

function decodeSub(token) {
  return JSON.parse(atob(token.split(".")[1].replaceAll("-", "+").replaceAll("_", "/"))).sub;
}

/** Opens a socket; resolves `{ws, frames, closed}` once `session.ready` arrived. */
function openSocket(token) {
  const url = `ws://${base.host}/v1/im/ws?token=${token}`;
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false, maxPayload: 64 * 1024 * 1024 });
    const state = { ws, frames: [], close: undefined };
    state.closed = new Promise((done) =>
      ws.on("close", (code, reason) => {
        state.close = { code, reason: reason.toString() };
        done(state.close);
      })
    );
    ws.on("message", (raw) => {
      const frame = JSON.parse(raw.toString());
      if (frame.method === "session.ready") resolve(state);
      else state.frames.push(frame);
    });
    ws.on("unexpected-response", (_request, response) => {
      reject(new Error(`upgrade refused: ${response.statusCode}`));
    });
    ws.on("error", reject);
  });
}

/** Latency of `GET /v1/user/user` as `token`, in a loop until `stop()` says so: ms list. */
async function readLoop(token, stop) {
  const latencies = [];
  while (!stop()) {
    const started = performance.now();
    await call("GET", "/v1/user/user", { token });
    latencies.push(performance.now() - started);
  }
  return latencies;
}

function summary(latencies) {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  return `n=${sorted.length} p50=${at(0.5).toFixed(0)} ms p99=${at(0.99).toFixed(0)} ms max=${
    at(1).toFixed(0)
  } ms`;
}

const tools = { call, register, openSocket, readLoop, summary, base };
for (const name of values.only.split(",")) {
  const attack = ATTACKS[name];
  if (!attack) throw new Error(`unknown attack ${name}; known: ${Object.keys(ATTACKS)}`);
  console.log(`\n== ${name}: ${attack.what}`);
  try {
    await attack.run(tools);
  } catch (error) {
    console.log(`  failed: ${error.stack ?? error}`);
  }
}
process.exit(0);
