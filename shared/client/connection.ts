/**
 * One socket at a time, and a new one whenever it is lost: the connect, the heartbeat, the ready
 * and heartbeat timeouts, and the reconnect with backoff. It never waits for an event that may
 * not come: a socket is given up the moment it reports `error` or `close` (Node 20's built-in
 * WebSocket reports a refused connect only as `error`), and a timeout gives it up by itself
 * rather than by calling `close()` and waiting for a `close` event (which a socket that never
 * opened may never fire).
 */
import { type BackoffOptions, DEFAULT_BACKOFF, reconnectDelay } from "./backoff.ts";
import { FINAL_CLOSE_CODES } from "./constants.ts";
import { HEARTBEAT } from "./protocol.ts";
import { socketUrl, type WebSocketFactory, type WebSocketLike } from "./socket.ts";

export interface ConnectionOptions {
  baseUrl: string | undefined;
  token: string | (() => string | Promise<string>);
  deviceId: string | undefined;
  open: WebSocketFactory;
  heartbeatMs: number;
  readyTimeoutMs: number;
  backoff: BackoffOptions | undefined;
  random: (() => number) | undefined;
}

/** What the session hears from its connection. */
export interface ConnectionHooks {
  /** A text frame arrived on the current socket. */
  text(text: string): void;
  /** The socket is gone; `retryInMs` is when the next attempt starts (undefined: final). */
  lost(code: number, reason: string, retryInMs: number | undefined): void;
  /** A connect that failed before any socket (a token getter that threw, a refused upgrade). */
  error(error: Error): void;
}

export class Connection {
  /** Connects made since the last `session.ready`: the backoff's exponent. */
  attempt = 0;
  private running = false;
  private socket: WebSocketLike | undefined;
  private generation = 0;
  private lastFrameAt = 0;
  private timers: ReturnType<typeof setTimeout>[] = [];
  private heartbeat: ReturnType<typeof setInterval> | undefined;
  private readonly options: ConnectionOptions;
  private readonly hooks: ConnectionHooks;

  constructor(options: ConnectionOptions, hooks: ConnectionHooks) {
    this.options = options;
    this.hooks = hooks;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.attempt = 0;
    void this.connect();
  }

  /** Stops for good: no reconnect; the socket (if any) is closed with 1000. */
  stop(): void {
    this.running = false;
    this.generation += 1;
    const socket = this.socket;
    this.forget();
    closeQuietly(socket, 1000, "closed by the client");
  }

  /** `session.ready` came: the connect worked, so the backoff starts from the bottom again. */
  ready(): void {
    this.attempt = 0;
    this.clearTimers();
  }

  /** Writes a frame; a socket that cannot take it is given up (the session reconnects). */
  send(text: string): void {
    const socket = this.socket;
    if (!socket) return;
    try {
      socket.send(text);
    } catch {
      this.gone(socket, 1006, "the socket refused a frame");
    }
  }

  /** Gives the current socket up as a network failure would (the session reconnects). */
  drop(code = 4000, reason = "dropped by the client"): void {
    const socket = this.socket;
    // After the caller's current task, as a network's close would be: it may subscribe first.
    if (socket) setTimeout(() => this.gone(socket, code, reason), 0);
  }

  private async connect(): Promise<void> {
    const generation = ++this.generation;
    const { token } = this.options;
    let socket: WebSocketLike;
    try {
      const value = typeof token === "function" ? await token() : token;
      const url = socketUrl(this.options.baseUrl, this.options.deviceId);
      socket = await this.options.open(url, [value]);
    } catch (error) {
      if (generation !== this.generation) return;
      this.hooks.error(
        error instanceof Error ? error : new Error(String(error)),
      );
      this.retry(1006, "connect failed");
      return;
    }
    if (generation !== this.generation || !this.running) {
      closeQuietly(socket, 1000, "closed by the client");
      return;
    }
    this.socket = socket;
    this.lastFrameAt = Date.now();
    // Listeners first, before anything can fail: `ws` throws an `error` nobody listens to.
    socket.addEventListener(
      "error",
      () => this.gone(socket, 1006, "socket error"),
    );
    socket.addEventListener(
      "close",
      (event) => this.gone(socket, event.code, event.reason),
    );
    socket.addEventListener("message", (event) => {
      if (this.socket !== socket) return;
      this.lastFrameAt = Date.now();
      this.hooks.text(String(event.data));
    });
    this.timers.push(setTimeout(
      () => this.gone(socket, 4000, "no session.ready in time"),
      this.options.readyTimeoutMs,
    ));
    this.heartbeat = setInterval(
      () => this.beat(socket),
      this.options.heartbeatMs,
    );
  }

  /** Sends the heartbeat; a socket silent for two periods is half-open: give it up. */
  private beat(socket: WebSocketLike): void {
    if (Date.now() - this.lastFrameAt > this.options.heartbeatMs * 2) {
      this.gone(socket, 4000, "heartbeat timeout");
      return;
    }
    this.send(HEARTBEAT);
  }

  /** `socket` is finished with (once, whichever of error, close or a timeout says so first). */
  private gone(socket: WebSocketLike, code: number, reason: string): void {
    if (this.socket !== socket) return;
    this.forget();
    closeQuietly(socket, 4000, reason.slice(0, 100));
    if (!this.running) return;
    if (FINAL_CLOSE_CODES.has(code)) {
      this.running = false;
      this.hooks.lost(code, reason, undefined);
      return;
    }
    this.retry(code, reason);
  }

  private retry(code: number, reason: string): void {
    const delay = reconnectDelay(
      this.attempt++,
      this.options.backoff ?? DEFAULT_BACKOFF,
      this.options.random,
    );
    this.hooks.lost(code, reason, delay);
    const generation = this.generation;
    this.timers.push(setTimeout(() => {
      if (this.running && generation === this.generation) void this.connect();
    }, delay));
  }

  private forget(): void {
    this.socket = undefined;
    this.clearTimers();
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }

  private clearTimers(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers = [];
  }
}

/** close() of a socket that is closing, closed or never opened may throw: it does not matter. */
function closeQuietly(
  socket: WebSocketLike | undefined,
  code: number,
  reason: string,
): void {
  try {
    socket?.close(code, reason);
  } catch {
    // Already closed, or a runtime that refuses this code now: the socket is gone either way.
  }
}
