/** Shapes passed between the Worker, Conversation objects and UserSession objects. */
import type { ChatType } from "./conversation-id.ts";
import type { MType } from "./message-content.ts";

/** One stored message as clients see it (CONTRACT §5). */
export interface ChatLog {
  msgId: string;
  conversationId: string;
  chatType: ChatType;
  sendId: string;
  recvId: string;
  seq: number;
  mType: MType;
  content: string;
  sendTime: number;
}

/** The answer to a send (WS ack data and POST /v1/im/chat data). */
export interface SendAck {
  msgId: string;
  conversationId: string;
  seq: number;
  sendTime: number;
}

export interface SendRequest {
  conversationId: string;
  senderId: string;
  /** WS frame id or HTTP clientMsgId: the idempotency key, per sender. */
  clientMsgId: string;
  mType: MType;
  content: string;
}

/**
 * What a Conversation hands a member's UserSession: the messages after that member's delivery
 * watermark, in seq order. `position` is set when the member's session may not know the
 * conversation yet (first delivery, a group join): where to start counting from.
 */
export interface DeliveryBatch {
  conversationId: string;
  chatType: ChatType;
  position: ConversationPosition | null;
  /** The member's read seq in the conversation when the batch was made (reads never go back). */
  read: number;
  messages: ChatLog[];
}

/** A member's place in a conversation at some moment. */
export interface ConversationPosition {
  /** The conversation's last seq. */
  seq: number;
  /** This member's read seq. */
  read: number;
  lastMsg: ChatLog | null;
}

/** A per-user row of the conversation list (CONTRACT §5 `Conversation`). */
export interface ConversationSummary {
  conversationId: string;
  chatType: ChatType;
  targetId: string;
  isShow: boolean;
  seq: number;
  read: number;
  total: number;
  unread: number;
  lastMsg: ChatLog | null;
}
