/**
 * The one thing the SDK needs of a WebSocket, so any implementation fits: the runtime's own
 * (browsers, Deno, Node 22+, Workers), the `ws` package on Node 20 (pass its class as
 * `WebSocket`), or a test's stand-in (`webSocket`, a factory).
 */

/** The part of the WHATWG WebSocket the session uses; `ws`'s class has it too. */
export interface WebSocketLike {
  send(text: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(
    type: "message",
    listener: (event: { data: unknown }) => void,
  ): void;
  addEventListener(
    type: "close",
    listener: (event: { code: number; reason: string }) => void,
  ): void;
  addEventListener(type: "error", listener: (event: unknown) => void): void;
}

/** A WebSocket class: `new WebSocket(url, protocols)`. */
export type WebSocketClass = new (
  url: string,
  protocols: string[],
) => WebSocketLike;

/** Opens the socket; the default is `new WebSocket(url, [token])` (the token as subprotocol). */
export type WebSocketFactory = (
  url: string,
  protocols: string[],
) => WebSocketLike | Promise<WebSocketLike>;

/** The factory a session uses: the option's, the class given, or the runtime's global one. */
export function socketFactory(
  factory?: WebSocketFactory,
  Class?: WebSocketClass,
): WebSocketFactory {
  if (factory) return factory;
  const Chosen = Class ??
    (globalThis as { WebSocket?: WebSocketClass }).WebSocket;
  if (!Chosen) {
    throw new Error(
      "no WebSocket in this runtime (Node < 22): pass one, e.g. " +
        '`new ChatSession({ ..., WebSocket: (await import("ws")).WebSocket })`',
    );
  }
  return (url, protocols) => new Chosen(url, protocols);
}

/** Where the socket of `baseUrl` is: `/v1/im/ws` over ws or wss. */
export function socketUrl(
  baseUrl: string | undefined,
  deviceId: string | undefined,
): string {
  const url = new URL("/v1/im/ws", baseUrl);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  if (deviceId) url.searchParams.set("deviceId", deviceId);
  return url.toString();
}
