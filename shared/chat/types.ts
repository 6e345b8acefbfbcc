/**
 * Internal shapes passed between the Worker, Conversation objects and UserSession objects over
 * RPC. What clients see is in schemas.ts.
 */
import type { ParsedConversationId } from "./conversation-id.ts";
import type { MType } from "./message-content.ts";
import type { ChatLog } from "./schemas.ts";
import type { MediaRef } from "../media/schemas.ts";

/** A send as the Conversation object takes it (its own id it knows; the asker is the sender). */
export interface SendRequest {
  /** WS frame id or HTTP clientMsgId: the idempotency key, per sender. */
  clientMsgId: string;
  mType: MType;
  content: string;
  /** The msgId this message answers. */
  replyTo?: string | undefined;
  /** Member ids or ["all"] (group chats). */
  mentions?: string[] | undefined;
  /** An upload of the sender's in this conversation (CONTRACT §11). */
  media?: MediaRef | undefined;
}

/**
 * What a Conversation hands a member's UserSession: the messages after that member's delivery
 * watermark, in seq order. `position` is set when the member's session may not know the
 * conversation yet (first delivery, a group join): where to start counting from.
 */
export interface DeliveryBatch {
  conversation: ParsedConversationId;
  position: ConversationPosition | null;
  /** The member's read seq in the conversation when the batch was made (reads never go back). */
  read: number;
  messages: DeliveredMessage[];
  /**
   * The last of `messages` in full, as JSON (the conversation list keeps it as it is); null when
   * there are none.
   */
  lastMsg: string | null;
  /**
   * Recalls and edits after the member's change watermark, in change order; each follows the
   * message push it was made after (`at`). Absent in batches that carry none.
   */
  changes?: DeliveredChange[];
}

/**
 * A message as a session needs it: its seq (to drop one it has), its sender (your own message
 * is read) and its `push` frame, encoded once by the Conversation for every member.
 */
export interface DeliveredMessage {
  seq: number;
  sendId: string;
  frame: string;
  /** Who it mentions (user ids or "all"); absent when nobody. */
  mentions?: string[];
}

/** A recall or edit as a session needs it: its place, its frame, and the message as it is now. */
export interface DeliveredChange {
  changeSeq: number;
  /** The conversation's last seq when it happened: it goes out after that message's push. */
  at: number;
  /** The changed message's seq. */
  seq: number;
  /** True for a recall (the message mentions nobody any more). */
  recalled: boolean;
  /** The `recall` or `edit` push frame, encoded once. */
  frame: string;
  /** The changed message as JSON (a conversation list whose last message it is keeps it). */
  message: string;
}

/** A session's answer to a delivery: how many messages were new, how many sockets it has. */
export interface DeliveryReceipt {
  fresh: number;
  sockets: number;
}

/** A member's place in a conversation at some moment. */
export interface ConversationPosition {
  /** The conversation's last seq. */
  seq: number;
  /** This member's read seq. */
  read: number;
  lastMsg: ChatLog | null;
  /** The last change (recall, edit) that reached this member's session. */
  changeSeq: number;
  /** Seqs of unread messages mentioning this member or all, newest first (bounded). */
  mentionSeqs: number[];
}

/** A history page: after `afterSeq` (up to `beforeSeq`), before `beforeSeq`, or the newest. */
export interface HistoryQuery {
  afterSeq?: number | undefined;
  beforeSeq?: number | undefined;
  count: number;
}

/** What `conversation.sync` asks a conversation: messages after a seq, changes after a change. */
export interface CatchUpQuery {
  afterSeq: number;
  count: number;
  /** Absent: no changes asked for. */
  afterChange?: number | undefined;
  changeCount: number;
}

/** The answer: what the client missed, and where each part stopped. */
export interface CatchUp {
  messages: ChatLog[];
  seq: number;
  changes: MessageChangeRecord[];
  changeSeq?: number | undefined;
}

/**
 * A recall or edit as the Conversation keeps it: the message as it is now, and the change's seq
 * and place among the pushes (`at`: the log's last seq when it happened).
 */
export interface MessageChangeRecord {
  changeSeq: number;
  at: number;
  recallBy: string;
  message: ChatLog;
  /** A reaction change (CONTRACT §13): who, which emoji, on or off, and the emoji's count now. */
  reaction?: { emoji: string; userId: string; on: boolean; count: number };
  /** A pin change (CONTRACT §13): pinned or not, and by whom. */
  pin?: { pinned: boolean; by: string };
}
