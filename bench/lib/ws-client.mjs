/**
 * The WebSocket client both systems are driven with (the `ws` package, no compression): opens a
 * socket and waits for `session.ready`, sends requests and matches their acks by id, and hands
 * every `push` frame to a listener. Every wait has a timeout, so a lost frame fails loudly.
 */
import { randomUUID } from "node:crypto";
import WebSocket from "ws";

const FRAME_TYPE = { data: 0, ack: 2, error: 9 };
// As a real client does (CONTRACT §6): the app closes a socket silent for 90 s.
const HEARTBEAT_MS = 30_000;

/** Closes the server made that the harness did not ask for; any one fails the run. */
export const unexpectedCloses = [];

export class BenchSocket {
  /** @param {WebSocket} ws */
  constructor(ws) {
    this.ws = ws;
    this.pending = new Map();
    this.onPush = () => {};
    this.closed = false;
    this.closing = false;
    this.heartbeat = setInterval(() => ws.send('{"frameType":1}'), HEARTBEAT_MS).unref();
    ws.on("message", (raw) => this.dispatch(JSON.parse(raw.toString("utf8"))));
    ws.on("close", (code, reason) => {
      this.closed = true;
      clearInterval(this.heartbeat);
      if (!this.closing) unexpectedCloses.push(`${code} ${reason.toString("utf8")}`);
      for (const { reject } of this.pending.values()) reject(new Error(`socket closed ${code}`));
      this.pending.clear();
    });
  }

  dispatch(frame) {
    if ((frame.frameType === FRAME_TYPE.ack || frame.frameType === FRAME_TYPE.error) && frame.id) {
      const waiter = this.pending.get(frame.id);
      if (!waiter) return;
      this.pending.delete(frame.id);
      if (frame.frameType === FRAME_TYPE.ack) waiter.resolve(frame.data);
      else waiter.reject(new Error(`error frame: ${JSON.stringify(frame.data)}`));
      return;
    }
    if (frame.frameType === FRAME_TYPE.data && frame.method === "push") this.onPush(frame);
  }

  /** Sends a request; resolves with the ack's data, rejects on an error frame or timeout. */
  request(method, data, timeoutMs = 10_000) {
    const id = randomUUID();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`no ack for ${method} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (value) => (clearTimeout(timer), resolve(value)),
        reject: (error) => (clearTimeout(timer), reject(error)),
      });
      this.ws.send(JSON.stringify({ frameType: FRAME_TYPE.data, id, method, data }));
    });
  }

  close() {
    if (this.closed) return Promise.resolve();
    this.closing = true;
    return new Promise((resolve) => {
      this.ws.once("close", resolve);
      this.ws.close(1000, "bench done");
      // A peer that never closes back must not stall the harness.
      setTimeout(() => (this.ws.terminate(), resolve()), 2000).unref();
    });
  }
}

/**
 * Opens `url` and resolves once `session.ready` has arrived, with the socket and the time that
 * took (TCP + upgrade + the server's first frame: the moment a client can use the socket).
 */
export function openSocket(url, timeoutMs = 10_000) {
  const startedAt = performance.now();
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error(`no session.ready within ${timeoutMs} ms`));
    }, timeoutMs);
    const fail = (error) => (clearTimeout(timer), reject(error));
    ws.once("error", fail);
    ws.once("unexpected-response", (_request, response) => {
      fail(new Error(`upgrade refused: HTTP ${response.statusCode}`));
    });
    ws.once("message", (raw) => {
      clearTimeout(timer);
      const frame = JSON.parse(raw.toString("utf8"));
      if (frame.method !== "session.ready") {
        ws.terminate();
        reject(
          new Error(`first frame was not session.ready: ${raw.toString("utf8").slice(0, 200)}`),
        );
        return;
      }
      ws.off("error", fail);
      ws.on("error", () => {}); // The close handler reports what matters.
      resolve({
        socket: new BenchSocket(ws),
        handshakeMs: performance.now() - startedAt,
        ready: frame,
      });
    });
  });
}

/** Runs `task(i)` for i in [0, count) with at most `concurrency` in flight. */
export async function inParallel(count, concurrency, task) {
  let next = 0;
  const results = new Array(count);
  async function worker() {
    while (next < count) {
      const index = next++;
      results[index] = await task(index);
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return results;
}
