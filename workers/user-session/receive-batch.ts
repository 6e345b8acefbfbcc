/**
 * A batch of one conversation's messages and changes — a Conversation's delivery, or what a
 * sync fetched — recorded in the user's list and pushed to every open socket, in seq order;
 * what the list already had is dropped, so a repeated batch is never pushed twice.
 */
import type { DeliveryBatch, DeliveryReceipt } from "../../shared/chat/types.ts";
import type { AwayPushes } from "../push/away-pushes.ts";
import type { SessionParts } from "./frame-methods.ts";
import type { PushItem } from "./list-rows.ts";

/** Records and pushes `batch`: how many of its items were new, and how many sockets are open. */
export function receiveBatch(
  parts: Pick<SessionParts, "list" | "pushes">,
  batch: DeliveryBatch,
): DeliveryReceipt {
  return record(parts, batch).receipt;
}

/**
 * A Conversation's delivery. With no socket (`connecting` ones count) the user is away: the
 * list marks the conversation (it calls no more until asked) and the away pushes decide on a
 * Web Push (workers/push/away-pushes.ts).
 */
export function receiveDelivery(
  parts: Pick<SessionParts, "list" | "pushes">,
  batch: DeliveryBatch,
  connecting: number,
  away: AwayPushes,
): DeliveryReceipt {
  const { receipt, fresh } = record(parts, batch);
  const sockets = receipt.sockets + connecting;
  if (sockets === 0) {
    parts.list.markAway(batch.conversation.conversationId);
    away.received(batch, fresh);
  }
  return { ...receipt, sockets };
}

function record(
  { list, pushes }: Pick<SessionParts, "list" | "pushes">,
  batch: DeliveryBatch,
): { receipt: DeliveryReceipt; fresh: PushItem[] } {
  let sockets = 0;
  const fresh = list.apply(batch, (items) => {
    sockets = pushes.toAll(batch.conversation.conversationId, items);
  });
  return { receipt: { fresh: fresh.length, sockets }, fresh };
}
