/**
 * The one place a stored message becomes what a session delivers: its `push` frame, encoded
 * once (the Conversation shares it between every member; a sync encodes its own page).
 */
import { encodeFrame, pushFrame } from "../protocol/index.ts";
import type { ChatLog } from "./schemas.ts";
import type { DeliveredMessage } from "./types.ts";

export function toDelivered(message: ChatLog): DeliveredMessage {
  return {
    seq: message.seq,
    sendId: message.sendId,
    frame: encodeFrame(pushFrame("push", message)),
  };
}
