/**
 * What travels on the push queue (wrangler.toml `PUSH_QUEUE`): a push to send to one device, or
 * the end of a conversation's coalescing window, which its session turns into the push that
 * says how many came meanwhile (docs/push.md).
 */
import type { PushPayload } from "../../shared/push/schemas.ts";
import type { StoredSubscription } from "./subscriptions.ts";

/** One push to one device. */
export interface SendPushMessage {
  kind: "send";
  userId: string;
  subscription: Pick<StoredSubscription, "endpoint" | "p256dh" | "auth">;
  /** Without `senderName`: the consumer looks the sender's nickname up. */
  payload: PushPayload;
  urgency: "high" | "normal";
  /** When it was first enqueued (Unix ms): retries stop 24 h after. */
  enqueuedAt: number;
}

/** A conversation's coalescing window ended for `userId`. */
export interface PushWindowMessage {
  kind: "window";
  userId: string;
  conversationId: string;
}

export type PushQueueMessage = SendPushMessage | PushWindowMessage;
