/**
 * The SDK wired to the Worker under test: HTTP through `exports.default.fetch`, and sockets
 * opened by an upgrade request through it (workerd has no listening port), optionally tapped so
 * a test can lose frames the way a network does.
 */
import { exports } from "cloudflare:workers";
import { afterEach } from "vitest";
import {
  type ChatLog,
  ChatSession,
  type ChatSessionOptions,
  createApiClient,
  type SessionReady,
  type WebSocketFactory,
} from "../../shared/client/index.ts";

export const BASE_URL = "https://chat.test";

/** A typed API client of the Worker under test. */
export function testApi(token?: string) {
  return createApiClient({
    baseUrl: BASE_URL,
    token: () => token,
    fetch: (request) => exports.default.fetch(request as Request),
  });
}

/** Decides what happens to a frame from the server: deliver it, or drop it (and maybe close). */
export type FrameTap = (text: string, socket: TappedSocket) => "deliver" | "drop";

/** A WebSocket stand-in over the Worker's real socket, whose incoming frames pass a tap. */
export class TappedSocket extends EventTarget {
  constructor(readonly ws: WebSocket, tap: FrameTap) {
    super();
    ws.addEventListener("message", (event) => {
      const text = String(event.data);
      if (tap(text, this) === "deliver") {
        this.dispatchEvent(Object.assign(new Event("message"), { data: text }));
      }
    });
    ws.addEventListener("close", (event) => {
      this.dispatchEvent(
        Object.assign(new Event("close"), { code: event.code, reason: event.reason }),
      );
    });
  }

  send(text: string): void {
    this.ws.send(text);
  }

  close(code?: number, reason?: string): void {
    this.ws.close(code, reason);
  }
}

export interface TestSessionOptions extends Partial<ChatSessionOptions> {
  tap?: FrameTap;
  /** Every socket the session opened, in order. */
  opened?: TappedSocket[];
  /** Wraps the factory of the Worker's sockets, e.g. to hand out a broken socket first. */
  wrap?: (open: WebSocketFactory) => WebSocketFactory;
}

/** A ChatSession whose sockets go through the Worker under test (token as subprotocol). */
export function testSession(token: string, options: TestSessionOptions = {}): ChatSession {
  const { tap = () => "deliver", opened = [], wrap = (open) => open, ...rest } = options;
  return new ChatSession({
    baseUrl: BASE_URL,
    token,
    readyTimeoutMs: 3000,
    backoff: { initialMs: 20, maxMs: 200 },
    ...rest,
    webSocket: wrap(async (url, protocols) => {
      const response = await exports.default.fetch(
        new Request(url.replace(/^ws/, "http"), {
          headers: { Upgrade: "websocket", "Sec-WebSocket-Protocol": protocols.join(", ") },
        }),
      );
      if (!response.webSocket) throw new Error(`upgrade refused: ${response.status}`);
      response.webSocket.accept();
      const socket = new TappedSocket(response.webSocket, tap);
      opened.push(socket);
      return socket as unknown as WebSocket;
    }),
  });
}

/** Resolves with the first value `subscribe` reports that passes `accept`, or fails after `ms`. */
export function waitFor<T>(
  subscribe: (listener: (value: T) => void) => () => void,
  accept: (value: T) => boolean = () => true,
  ms = 5000,
  what = "an event",
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`timed out waiting for ${what}`));
    }, ms);
    const stop = subscribe((value) => {
      if (!accept(value)) return;
      clearTimeout(timer);
      stop();
      resolve(value);
    });
  });
}

/** `start(token, options)` starts a test session; every one started is closed after each test. */
export function sessionStarter(): (...args: Parameters<typeof testSession>) => ChatSession {
  const sessions: ChatSession[] = [];
  afterEach(() => {
    for (const session of sessions.splice(0)) session.close();
  });
  return (...args) => {
    const session = testSession(...args);
    sessions.push(session);
    session.start();
    return session;
  };
}

/** Collects a session's `message` events. */
export function received(session: ChatSession): ChatLog[] {
  const messages: ChatLog[] = [];
  session.on("message", (message) => messages.push(message));
  return messages;
}

/** The session's next `session.ready`. */
export const nextReady = (session: ChatSession) =>
  waitFor<SessionReady>((listener) => session.on("ready", listener), () => true, 5000, "ready");

/** Polls `check` every 10 ms until it holds, or fails naming `what`. */
export async function until(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
