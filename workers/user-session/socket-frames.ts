/**
 * Admitting one frame from a socket, in order: token expiry (4001), the rate bucket (100008,
 * then 4008), the frame's shape (error frames that keep the socket), pings. What passes is a
 * request for its method (frame-methods.ts). All per-socket bookkeeping is written back to the
 * attachment before anything is awaited.
 */
import { ERROR_CODE } from "../../shared/errors.ts";
import {
  FLOOD_STRIKES_BEFORE_CLOSE,
  FRAME_BURST,
  FRAME_RATE_PER_SECOND,
} from "../../shared/limits.ts";
import {
  CLOSE_CODE,
  CLOSE_REASON,
  errorFrame,
  FRAME_TYPE,
  HEARTBEAT,
  parseClientFrame,
  peekRequestId,
  type RequestFrame,
} from "../../shared/protocol/index.ts";
import { takeToken } from "./token-bucket.ts";
import { closeSocket, readAttachment, sendFrame, writeAttachment } from "./sockets.ts";

/** The request in `message` to answer, or undefined when the frame was dealt with here. */
export function admitFrame(ws: WebSocket, message: string | ArrayBuffer): RequestFrame | undefined {
  // Frames still arriving after the server started closing get no answer.
  if (ws.readyState !== WebSocket.OPEN) return undefined;
  const attachment = readAttachment(ws);
  if (!attachment) {
    closeSocket(ws, CLOSE_CODE.tokenExpired, "session state lost, reconnect");
    return undefined;
  }
  const now = Date.now();
  if (attachment.expire * 1000 <= now) {
    closeSocket(ws, CLOSE_CODE.tokenExpired, CLOSE_REASON.tokenExpired);
    return undefined;
  }

  const taken = takeToken(attachment.bucket, now);
  attachment.bucket = taken.bucket;
  attachment.lastMessageAt = now;
  attachment.frames += 1;
  attachment.strikes = taken.allowed ? 0 : attachment.strikes + 1;
  writeAttachment(ws, attachment);
  if (!taken.allowed) {
    const msg =
      `too many frames: at most ${FRAME_RATE_PER_SECOND} per second (burst ${FRAME_BURST}); slow down`;
    sendFrame(ws, errorFrame(peekRequestId(message), ERROR_CODE.rateLimited, msg));
    if (attachment.strikes >= FLOOD_STRIKES_BEFORE_CLOSE) {
      closeSocket(ws, CLOSE_CODE.flooding, CLOSE_REASON.flooding);
    }
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
