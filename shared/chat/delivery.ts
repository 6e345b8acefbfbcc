/**
 * The one place a stored message becomes what a session delivers: its `push` frame, encoded
 * once (the Conversation shares it between every member; a sync encodes its own page). A
 * delivery crosses to the session as one JSON string: an RPC argument that is one string costs
 * the runtime a copy, where a nested object costs a walk of every field, once per member.
 */
import { encodeFrame, pushFrame } from "../protocol/index.ts";
import type { ChatLog } from "./schemas.ts";
import type { DeliveredMessage, DeliveryBatch } from "./types.ts";

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
  };
}
