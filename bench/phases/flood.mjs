/**
 * A socket flood next to another user's reads (CONTRACT §15 "Floods": other users keep their
 * latency). One user sends FLOOD_FRAMES frames at once on one socket; another user's
 * `GET /v1/user/user` runs at a steady READS_PER_SECOND, first with nothing else going on, then
 * from just before the flood until a second after the server closed the flooding socket. The
 * figure is their p99 during the flood ÷ their p99 without it. An open loop (a read leaves every
 * 1/READS_PER_SECOND s whatever happened to the last one), so a stall shows in full; paced well
 * under the reader's own read budget (600 a minute), which is not what this measures.
 */
import WebSocket from "ws";
import { keepAliveAgent, sendRequest } from "../lib/http-load.mjs";
import { step } from "../lib/progress.mjs";
import { seedUsers } from "../lib/seed.mjs";
import { latencyHistogram } from "../lib/stats.mjs";
import { settle } from "./http.mjs";

export const FLOOD_FRAMES = 3000;
/** The row the flood target reads: value = p99 during the flood, baseline = p99 without it. */
export const FLOOD_ROW =
  "flood: another user's GET p99 during 3,000 frames on one socket (baseline: without)";
const FLOOD_FRAME = '{"frameType":0,"id":"x","method":"no.such"}';
const READS_PER_SECOND = 50;
const QUIET_MS = 3000;
// Reads go on this long after the close, to catch what the flood left behind.
const AFTER_CLOSE_MS = 1000;
const CLOSE_TIMEOUT_MS = 20_000;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Reads as `reader` every 1/READS_PER_SECOND s until `until()` resolves; the latency p99. */
async function pacedReads(ctx, reader, until) {
  const agent = keepAliveAgent(8);
  const histogram = latencyHistogram();
  const url = new URL("/v1/user/user", ctx.app.url);
  const headers = { Authorization: `Bearer ${reader.token}` };
  const inFlight = [];
  let done = false;
  until().then(() => (done = true));
  while (!done) {
    const sentAt = performance.now();
    inFlight.push(
      sendRequest(agent, url, { headers }).then((answer) => {
        if (answer.status !== 200) throw new Error(`reader GET → ${answer.status}`);
        histogram.record(performance.now() - sentAt);
      }),
    );
    await sleep(1000 / READS_PER_SECOND);
  }
  await Promise.all(inFlight);
  agent.destroy();
  return histogram.at(99);
}

/** Opens the flooder's socket; resolves once `session.ready` arrived. */
function openFlooder(ctx, flooder) {
  const url = `ws://${ctx.app.url.host}/v1/im/ws?token=${flooder.token}`;
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    ws.once("message", () => resolve(ws));
    ws.once("error", reject);
  });
}

/** Floods one socket; returns when the server closed it (with the close code). */
async function flood(ws) {
  const closed = new Promise((resolve) => ws.once("close", (code) => resolve(code)));
  let answers = 0;
  ws.on("message", () => answers++);
  for (let i = 0; i < FLOOD_FRAMES; i += 1) ws.send(FLOOD_FRAME);
  const code = await Promise.race([closed, sleep(CLOSE_TIMEOUT_MS).then(() => "none")]);
  return { code, answers };
}

/** The flood phase: the reader's p99 without and during a flood, and their ratio. */
export async function measureFlood(ctx) {
  const [flooder, reader] = await seedUsers(ctx.app, 2, "flood");
  await settle(ctx.app);
  let progress = step(`reader alone, ${READS_PER_SECOND} GET/s`);
  const quiet = await pacedReads(ctx, reader, () => sleep(QUIET_MS));
  progress.done(`p99 ${quiet.toFixed(1)} ms`);

  const ws = await openFlooder(ctx, flooder);
  progress = step(`reader while one socket sends ${FLOOD_FRAMES} frames at once`);
  let outcome;
  const during = await pacedReads(ctx, reader, async () => {
    await sleep(100);
    outcome = await flood(ws);
    await sleep(AFTER_CLOSE_MS);
  });
  ws.terminate();
  progress.done(`p99 ${during.toFixed(1)} ms; closed ${outcome.code}, ${outcome.answers} answers`);
  // The baseline column is the same reader without the flood: the ratio is the target's figure.
  ctx.results.add(FLOOD_ROW, "ms", during, quiet);
  ctx.results.add(
    "flood: answers the flooding socket got before its close",
    "frames",
    outcome.answers,
    NaN,
  );
}
