/**
 * One incoming frame, in order: token expiry (4001), the rate bucket (100008, then 4008), the
 * frame's shape (error frames that keep the socket), then the request itself. All per-socket
 * bookkeeping is written back to the attachment before anything is awaited.
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
} from "../../shared/protocol/index.ts";
import { answerRequest } from "./dispatch.ts";
import type { MethodTable } from "./methods.ts";
import { takeToken } from "./rate.ts";
import { closeSocket, readAttachment, sendFrame, writeAttachment } from "./sockets.ts";

export interface MessageContext {
  env: Env;
  ctx: DurableObjectState;
  methods: MethodTable;
}

/** Handles one WebSocket message on `ws`. */
export async function handleSocketMessage(
  context: MessageContext,
  ws: WebSocket,
  message: string | ArrayBuffer,
): Promise<void> {
  // Frames still arriving after the server started closing get no answer.
  if (ws.readyState !== WebSocket.OPEN) return;
  const attachment = readAttachment(ws);
  if (!attachment) {
    closeSocket(ws, CLOSE_CODE.tokenExpired, "session state lost, reconnect");
    return;
  }
  const now = Date.now();
  if (attachment.expire * 1000 <= now) {
    closeSocket(ws, CLOSE_CODE.tokenExpired, CLOSE_REASON.tokenExpired);
    return;
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
    return;
  }

  const parsed = parseClientFrame(message);
  if (!parsed.ok) {
    sendFrame(ws, errorFrame(parsed.id, parsed.code, parsed.msg));
    return;
  }
  if (parsed.frame.frameType === FRAME_TYPE.ping) {
    sendFrame(ws, HEARTBEAT);
    return;
  }
  const answer = await answerRequest(context.methods, parsed.frame, {
    env: context.env,
    ctx: context.ctx,
    userId: attachment.userId,
    socket: ws,
    send: (frame) => sendFrame(ws, frame),
  });
  sendFrame(ws, answer);
}
