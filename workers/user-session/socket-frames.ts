/**
 * Admitting one frame from a socket, in order: a socket already closed for flooding (nothing at
 * all), token expiry (4001), the rate bucket and the size (refused without parsing: 100008 /
 * 100009, the id peeked from the first bytes), the flood verdict (4008), then the frame's shape
 * (error frames that keep the socket) and pings. What passes is a request for its method
 * (frame-methods.ts). All per-socket bookkeeping is written back to the attachment before
 * anything is awaited.
 */
import { ERROR_CODE } from "../../shared/errors.ts";
import {
  FLOOD_REFUSED_TO_CLOSE,
  FLOOD_WINDOW_FRAMES,
  FRAME_BURST,
  FRAME_RATE_PER_SECOND,
  MAX_BODY_BYTES,
  MAX_QUEUED_FRAMES,
} from "../../shared/limits.ts";
import {
  CLOSE_CODE,
  CLOSE_REASON,
  errorFrame,
  FRAME_TYPE,
  HEARTBEAT,
  overBodyLimit,
  parseClientFrame,
  peekRequestId,
  type RequestFrame,
  tooLarge,
} from "../../shared/protocol/index.ts";
import { chargeToken } from "./token-bucket.ts";
import {
  closeSocket,
  readAttachment,
  sendFrame,
  type SocketAttachment,
  writeAttachment,
} from "./sockets.ts";

const REFUSED = "1";
const LET_THROUGH = "0";

/**
 * Sockets this object closed for flooding. The frames a flooder sent before the close are still
 * delivered one by one; each is dropped here before its attachment is even read. After a
 * hibernation the attachment's `flooded` says the same.
 */
const floodedSockets = new WeakSet<WebSocket>();

/** The request in `message` to answer, or undefined when the frame was dealt with here. */
export function admitFrame(ws: WebSocket, message: string | ArrayBuffer): RequestFrame | undefined {
  if (floodedSockets.has(ws)) return undefined;
  // Frames still arriving after the server started closing get no answer.
  if (ws.readyState !== WebSocket.OPEN) return undefined;
  const attachment = readAttachment(ws);
  if (!attachment) {
    closeSocket(ws, CLOSE_CODE.tokenExpired, "session state lost, reconnect");
    return undefined;
  }
  if (attachment.flooded) {
    floodedSockets.add(ws);
    return undefined;
  }
  const now = Date.now();
  if (attachment.expire * 1000 <= now) {
    closeSocket(ws, CLOSE_CODE.tokenExpired, CLOSE_REASON.tokenExpired);
    return undefined;
  }

  const taken = chargeToken(attachment.bucket, now);
  const oversized = typeof message === "string"
    ? overBodyLimit(message)
    : message.byteLength > MAX_BODY_BYTES;
  const refused = !taken.allowed || oversized;
  attachment.bucket = taken.bucket;
  attachment.lastMessageAt = now;
  attachment.frames += 1;
  attachment.recent = remember(attachment.recent, refused);
  attachment.flooded = refusedCount(attachment.recent) >= FLOOD_REFUSED_TO_CLOSE;
  writeAttachment(ws, attachment);
  if (refused) {
    refuse(ws, message, oversized);
    if (attachment.flooded) closeFlooded(ws);
    return undefined;
  }

  const parsed = parseClientFrame(message);
  if (!parsed.ok) {
    sendFrame(ws, errorFrame(parsed.id, parsed.code, parsed.msg));
    return undefined;
  }
  if (parsed.frame.frameType === FRAME_TYPE.ping) {
    sendFrame(ws, HEARTBEAT);
    return undefined;
  }
  return parsed.frame;
}

/** The answer to an admitted frame that found its socket's queue full (serial-queues.ts). */
export function refuseQueueFull(ws: WebSocket, request: RequestFrame): void {
  const msg =
    `too many requests waiting: at most ${MAX_QUEUED_FRAMES} per socket; wait for answers`;
  sendFrame(ws, errorFrame(request.id, ERROR_CODE.rateLimited, msg));
}

/** The socket's last FLOOD_WINDOW_FRAMES verdicts with this one added. */
function remember(recent: SocketAttachment["recent"] | undefined, refused: boolean): string {
  return ((recent ?? "") + (refused ? REFUSED : LET_THROUGH)).slice(-FLOOD_WINDOW_FRAMES);
}

function refusedCount(recent: string): number {
  let count = 0;
  for (const verdict of recent) if (verdict === REFUSED) count += 1;
  return count;
}

/** The error frame of a refused frame: never parsed, its id peeked from the first bytes. */
function refuse(ws: WebSocket, message: string | ArrayBuffer, oversized: boolean): void {
  const id = peekRequestId(message);
  const tooLong = tooLarge(id);
  if (oversized && !tooLong.ok) {
    sendFrame(ws, errorFrame(tooLong.id, tooLong.code, tooLong.msg));
    return;
  }
  const msg =
    `too many frames: at most ${FRAME_RATE_PER_SECOND} per second (burst ${FRAME_BURST}); slow down`;
  sendFrame(ws, errorFrame(id, ERROR_CODE.rateLimited, msg));
}

function closeFlooded(ws: WebSocket): void {
  floodedSockets.add(ws);
  closeSocket(ws, CLOSE_CODE.flooding, CLOSE_REASON.flooding);
}
