/**
 * CONTRACT §15 "Floods" under `npm start` (scripts/start.mjs, `wrangler dev`), the service a
 * newcomer runs: while one socket sends 20,000 frames at once, another user's
 * `GET /v1/user/user` keeps answering within 1.5 s, and the flooding socket is closed with
 * 4008. (No Chromium: this project is the one that runs the real service.) The runtime drains
 * the frames a flooder already sent one by one after the close; each costs it ~20 µs, or ~0.15–1.5
 * ms when wrangler dev's local observability records every invocation (docs/limits.md).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { type Service, startService } from "./service.ts";
import { serviceClient } from "../package/packed-app.ts";

const FLOOD_FRAMES = 20_000;
/** Idle, a read takes ~5–40 ms here; the flood delays one by ~0.5 s (2.3–3 s with observability). */
const READ_WITHIN_MS = 1500;

let service: Service;
const { call, register } = serviceClient(() => service.url);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  service = await startService();
});

afterAll(async () => {
  await service?.stop();
});

/** A socket of `token`'s, once `session.ready` came, and its close code when it closes. */
async function openSession(token: string) {
  const ws = new WebSocket(`${service.url.replace("http", "ws")}/v1/im/ws?token=${token}`);
  const closed = new Promise<number>((resolve) => ws.on("close", (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    ws.on("message", (raw) => {
      if (JSON.parse(raw.toString()).method === "session.ready") resolve();
    });
    ws.on("error", reject);
  });
  return { ws, closed };
}

describe("a flood on one socket under npm start", () => {
  it(
    `answers another user's reads within ${READ_WITHIN_MS} ms while ${FLOOD_FRAMES} frames arrive`,
    async () => {
      const flooder = await register("Flooder", "flooder-password");
      const reader = await register("Reader", "reader-password");
      const { ws, closed } = await openSession(flooder.token);
      let stop = false;
      const latencies: number[] = [];
      const reads = (async () => {
        while (!stop) {
          const started = performance.now();
          await call("GET", "/v1/user/user", undefined, reader.token);
          latencies.push(performance.now() - started);
        }
      })();
      await sleep(200);
      for (let i = 0; i < FLOOD_FRAMES; i += 1) {
        ws.send('{"frameType":0,"id":"x","method":"no.such"}');
      }
      const code = await closed;
      await sleep(200);
      stop = true;
      await reads;
      expect(code).toBe(4008);
      const slowest = Math.max(...latencies);
      expect(slowest, `slowest of ${latencies.length} reads`).toBeLessThan(READ_WITHIN_MS);
    },
    60_000,
  );
});
