/**
 * Per-socket state and the socket set. Everything a socket needs after a hibernation is in its
 * attachment (serializeAttachment), never only in memory.
 */
import {
  CLOSE_CODE,
  CLOSE_REASON,
  encodeFrame,
  type ServerFrame,
} from "../../shared/protocol/index.ts";
import { MAX_SOCKETS_PER_USER } from "../../shared/limits.ts";
import type { RateBucket } from "./token-bucket.ts";

export interface SocketAttachment {
  userId: string;
  /** Unique per connection. */
  socketId: string;
  /** The client's `?deviceId=`, or the socketId when none was given. */
  deviceId: string;
  /** Unix ms. */
  connectedAt: number;
  /** The token's `exp`, Unix seconds: the socket is closed with 4001 then. */
  expire: number;
  /** The token's id and version, to close its sockets with 4003 when it is revoked. */
  jti: string;
  tokenVersion: number;
  /** Last frame that reached the object, Unix ms (auto-answered heartbeats are not seen here). */
  lastMessageAt: number;
  /** Frames that reached the object: auto-answered heartbeats never count. */
  frames: number;
  bucket: RateBucket;
  /**
   * The last FLOOD_WINDOW_FRAMES frames' verdicts, oldest first: "1" refused (rate, size), "0"
   * let through. FLOOD_REFUSED_TO_CLOSE refused among them close the socket with 4008.
   */
  recent: string;
  /** Closed for flooding: any frame still arriving is dropped unread. */
  flooded: boolean;
}

/** Tag under which a device's socket is accepted, for replacing it on reconnect. */
export function deviceTag(deviceId: string): string {
  return `device:${deviceId}`;
}

export function readAttachment(ws: WebSocket): SocketAttachment | null {
  return ws.deserializeAttachment() as SocketAttachment | null;
}

export function writeAttachment(ws: WebSocket, attachment: SocketAttachment): void {
  ws.serializeAttachment(attachment);
}

/** The object's sockets that are still open (a closing one may still be listed). */
export function openSockets(ctx: DurableObjectState, tag?: string): WebSocket[] {
  return ctx.getWebSockets(tag).filter((ws) => ws.readyState === WebSocket.OPEN);
}

/** Closes a socket, ignoring one that is already closed or broken. */
export function closeSocket(ws: WebSocket, code: number, reason: string): void {
  try {
    ws.close(code, reason);
  } catch {
    // Already closed, or the peer is gone: nothing left to tell it.
  }
}

/** Sends a frame; false when the socket could not take it. */
export function sendFrame(ws: WebSocket, frame: ServerFrame | string): boolean {
  try {
    ws.send(typeof frame === "string" ? frame : encodeFrame(frame));
    return true;
  } catch {
    return false;
  }
}

/** Sends a push to every open socket; how many took it (0 = offline). */
export function pushToOpenSockets(ctx: DurableObjectState, frame: ServerFrame): number {
  const text = encodeFrame(frame);
  let delivered = 0;
  for (const ws of openSockets(ctx)) {
    if (sendFrame(ws, text)) delivered += 1;
  }
  return delivered;
}

/**
 * Makes room for one more socket: the same device's previous socket is replaced, then the
 * oldest sockets are closed with 4002 until at most MAX_SOCKETS_PER_USER - 1 remain.
 */
export function evictForNewSocket(ctx: DurableObjectState, deviceId: string): void {
  for (const ws of openSockets(ctx, deviceTag(deviceId))) {
    closeSocket(ws, CLOSE_CODE.replaced, CLOSE_REASON.replaced);
  }
  const remaining = openSockets(ctx).sort((a, b) =>
    (readAttachment(a)?.connectedAt ?? 0) - (readAttachment(b)?.connectedAt ?? 0)
  );
  while (remaining.length >= MAX_SOCKETS_PER_USER) {
    closeSocket(remaining.shift()!, CLOSE_CODE.replaced, CLOSE_REASON.replaced);
  }
}

/** Closes with 4003 every open socket whose token `revoked` says is revoked. */
export function closeRevokedSockets(
  ctx: DurableObjectState,
  revoked: (attachment: SocketAttachment) => boolean,
): void {
  for (const ws of openSockets(ctx)) {
    const attachment = readAttachment(ws);
    if (attachment && revoked(attachment)) {
      closeSocket(ws, CLOSE_CODE.revoked, CLOSE_REASON.revoked);
    }
  }
}
