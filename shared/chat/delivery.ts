/**
 * The one place a stored message becomes what a session delivers: its `push` frame, encoded
 * once (the Conversation shares it between every member; a sync encodes its own page). A
 * delivery crosses to the session as one JSON string: an RPC argument that is one string costs
 * the runtime a copy, where a nested object costs a walk of every field, once per member.
 */
import { encodeFrame, pushFrame } from "../protocol/index.ts";
import { type ChatLog, MESSAGE_STATUS } from "./schemas.ts";
import {
  type EditedMessage,
  type MessageChange,
  type PinChange,
  type ReactionChange,
  type Recall,
} from "./change-schemas.ts";
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

export function reactionOf({ message, changeSeq, reaction }: MessageChangeRecord): ReactionChange {
  const { conversationId, msgId, seq } = message;
  return { conversationId, msgId, seq, ...reaction!, changeSeq };
}

export function pinOf({ message, changeSeq, pin }: MessageChangeRecord): PinChange {
  const { conversationId, msgId, seq } = message;
  return { conversationId, msgId, seq, ...pin!, changeSeq };
}

/**
 * What a change goes out as (push and list): `reaction` or `pin` for those, else `recall` for a
 * recalled message and `edit` for the rest.
 */
export function toMessageChange(change: MessageChangeRecord): MessageChange {
  if (change.reaction) return { method: "reaction", data: reactionOf(change) };
  if (change.pin) return { method: "pin", data: pinOf(change) };
  return change.message.status === MESSAGE_STATUS.recalled
    ? { method: "recall", data: recallOf(change) }
    : { method: "edit", data: editedOf(change) };
}

export function toDeliveredChange(change: MessageChangeRecord): DeliveredChange {
  const pushed = toMessageChange(change);
  return {
    changeSeq: change.changeSeq,
    at: change.at,
    seq: change.message.seq,
    recalled: pushed.method === "recall",
    frame: encodeFrame(pushFrameOf(pushed)),
    message: JSON.stringify(change.message),
  };
}

function pushFrameOf(change: MessageChange) {
  switch (change.method) {
    case "recall":
      return pushFrame("recall", change.data);
    case "edit":
      return pushFrame("edit", change.data);
    case "reaction":
      return pushFrame("reaction", change.data);
    case "pin":
      return pushFrame("pin", change.data);
  }
}
