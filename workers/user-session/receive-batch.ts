/**
 * A batch of one conversation's messages and changes — a Conversation's delivery, or what a
 * sync fetched — recorded in the user's list and pushed to every open socket, in seq order;
 * what the list already had is dropped, so a repeated batch is never pushed twice.
 */
import type { DeliveryBatch, DeliveryReceipt } from "../../shared/chat/types.ts";
import type { SessionParts } from "./frame-methods.ts";

/** Records and pushes `batch`: how many of its items were new, and how many sockets are open. */
export function receiveBatch(
  { list, pushes }: Pick<SessionParts, "list" | "pushes">,
  batch: DeliveryBatch,
): DeliveryReceipt {
  let sockets = 0;
  const fresh = list.apply(batch, (items) => {
    sockets = pushes.toAll(batch.conversation.conversationId, items);
  });
  return { fresh: fresh.length, sockets };
}
