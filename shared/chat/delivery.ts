/**
 * The one place a stored message becomes what a session delivers: its `push` frame, encoded
 * once (the Conversation shares it between every member; a sync encodes its own page). A
 * delivery crosses to the session as one JSON string: an RPC argument that is one string costs
 * the runtime a copy, where a nested object costs a walk of every field, once per member.
 */
import { encodeFrame, pushFrame } from "../protocol/index.ts";
import {
  type ChatLog,
  type EditedMessage,
  MESSAGE_STATUS,
  type MessageChange,
  type Recall,
} from "./schemas.ts";
import type {
  DeliveredChange,
  DeliveredMessage,
  DeliveryBatch,
  MessageChangeRecord,
} from "./types.ts";

export type { MessageChangeRecord };

/** A DeliveryBatch as JSON: what `UserSession.receive` takes. */
export type DeliveryBatchJson = string;

export function parseDeliveryBatch(json: DeliveryBatchJson): DeliveryBatch {
  return JSON.parse(json) as DeliveryBatch;
}

export function toDelivered(message: ChatLog): DeliveredMessage {
  return {
    seq: message.seq,
    sendId: message.sendId,
    frame: encodeFrame(pushFrame("push", message)),
    ...(message.mentions.length > 0 && { mentions: message.mentions }),
  };
}

export function recallOf({ message, changeSeq, recallBy }: MessageChangeRecord): Recall {
  const { conversationId, msgId, seq } = message;
  return { conversationId, msgId, seq, recallBy, changeSeq };
}

export function editedOf({ message, changeSeq }: MessageChangeRecord): EditedMessage {
  return { ...message, changeSeq };
}

/** What a change goes out as: `recall` for a recalled message, else `edit` (push and list). */
export function toMessageChange(change: MessageChangeRecord): MessageChange {
  return change.message.status === MESSAGE_STATUS.recalled
    ? { method: "recall", data: recallOf(change) }
    : { method: "edit", data: editedOf(change) };
}

export function toDeliveredChange(change: MessageChangeRecord): DeliveredChange {
  const pushed = toMessageChange(change);
  const frame = pushed.method === "recall"
    ? pushFrame("recall", pushed.data)
    : pushFrame("edit", pushed.data);
  return {
    changeSeq: change.changeSeq,
    at: change.at,
    seq: change.message.seq,
    recalled: pushed.method === "recall",
    frame: encodeFrame(frame),
    message: JSON.stringify(change.message),
  };
}
