/**
 * Real WebSockets through the Worker (`GET /v1/im/ws`), with a frame queue: every wait has a
 * timeout, so a missing frame fails the test instead of hanging it.
 */
import { exports } from "cloudflare:workers";
import type { ClientFrame } from "../../shared/protocol/index.ts";

export const DEFAULT_WAIT_MS = 3000;

export interface ConnectOptions {
  /** Where the token goes; default "query". */
  via?: "header" | "query" | "protocol";
  deviceId?: string;
  headers?: Record<string, string>;
}

// deno-lint-ignore no-explicit-any -- tests read whatever frame the server sends
export type Frame = any;

export interface CloseEvent {
  code: number;
  reason: string;
}

/** Sends the upgrade request and returns the raw answer (101 with a webSocket, or an error). */
export function openUpgrade(token: string | undefined, options: ConnectOptions = {}) {
  const url = new URL("https://chat.test/v1/im/ws");
  const headers = new Headers({ Upgrade: "websocket", ...options.headers });
  const via = options.via ?? "query";
  if (token !== undefined && via === "query") url.searchParams.set("token", token);
  if (token !== undefined && via === "header") headers.set("Authorization", `Bearer ${token}`);
  if (token !== undefined && via === "protocol") headers.set("Sec-WebSocket-Protocol", token);
  if (options.deviceId) url.searchParams.set("deviceId", options.deviceId);
  return exports.default.fetch(new Request(url, { headers }));
}

/** A connected client socket with a queue of received frames. */
export class TestSocket {
  private readonly frames: Frame[] = [];
  private waiters: Array<() => void> = [];
  closeEvent: CloseEvent | undefined;

  constructor(readonly ws: WebSocket, readonly response: Response) {
    ws.addEventListener("message", (event) => {
      const text = typeof event.data === "string" ? event.data : "<binary>";
      let frame: Frame;
      try {
        frame = JSON.parse(text);
      } catch {
        frame = { raw: text };
      }
      this.frames.push(frame);
      this.wake();
    });
    ws.addEventListener("close", (event) => {
      this.closeEvent = { code: event.code, reason: event.reason };
      try {
        ws.close(event.code === 1005 ? 1000 : event.code, event.reason);
      } catch {
        // Already closed.
      }
      this.wake();
    });
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  private async waitFor<T>(find: () => T | undefined, what: string, timeoutMs: number): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = find();
      if (found !== undefined) return found;
      const left = deadline - Date.now();
      if (left <= 0) {
        const seen = JSON.stringify(this.frames).slice(0, 500);
        throw new Error(`timed out waiting for ${what}; unread frames: ${seen}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** The first unread frame matching `predicate` (removed from the queue). */
  next(predicate: (frame: Frame) => boolean = () => true, timeoutMs = DEFAULT_WAIT_MS) {
    return this.waitFor(
      () => {
        const index = this.frames.findIndex(predicate);
        return index < 0 ? undefined : this.frames.splice(index, 1)[0];
      },
      "a matching frame",
      timeoutMs,
    );
  }

  /** Resolves with the close the server sent. */
  closed(timeoutMs = DEFAULT_WAIT_MS): Promise<CloseEvent> {
    return this.waitFor(() => this.closeEvent, "the socket to close", timeoutMs);
  }

  /** Frames received and not read yet. */
  unread(): Frame[] {
    return [...this.frames];
  }

  send(frame: ClientFrame | Record<string, unknown> | string | ArrayBuffer): void {
    this.ws.send(
      typeof frame === "string" || frame instanceof ArrayBuffer ? frame : JSON.stringify(frame),
    );
  }

  /** Sends a request and waits for its ack or error frame. */
  request(method: string, data?: unknown, id: string = crypto.randomUUID()): Promise<Frame> {
    this.send({ frameType: 0, id, method, data });
    return this.next((frame) =>
      frame.id === id && (frame.frameType === 2 || frame.frameType === 9)
    );
  }

  close(code = 1000, reason = "bye"): void {
    try {
      this.ws.close(code, reason);
    } catch {
      // Already closed.
    }
  }
}

/** Opens a socket (expects 101), accepts it and reads the session.ready frame. */
export async function connect(token: string, options: ConnectOptions = {}) {
  const response = await openUpgrade(token, options);
  if (response.status !== 101 || !response.webSocket) {
    throw new Error(`upgrade failed: ${response.status} ${await response.text()}`);
  }
  const ws = response.webSocket;
  ws.accept();
  const socket = new TestSocket(ws, response);
  const ready = await socket.next((frame) => frame.method === "session.ready");
  return { socket, ready };
}

/** The sockets a test file opens, so that each test can close its own: `afterEach(closeAll)`. */
export class SocketPool {
  private readonly open: TestSocket[] = [];

  /** Connects `user` and keeps the socket for closeAll. */
  async connect(user: { token: string }): Promise<TestSocket> {
    const { socket } = await connect(user.token);
    this.open.push(socket);
    return socket;
  }

  closeAll = (): void => {
    for (const socket of this.open.splice(0)) socket.close();
  };
}
