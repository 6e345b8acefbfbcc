/**
 * The user's conversation list, kept in the UserSession's own SQLite storage so that listing
 * conversations (and `session.ready`) is one local read, not one call per conversation.
 *
 * Each row holds the last seq this user's session has received and the user's read seq; since
 * `seq` runs without gaps and sending moves your own read to your message, every message after
 * `read` is someone else's: `unread = seq - read`.
 */
import {
  type ChatType,
  type ParsedConversationId,
  targetIdFor,
} from "../../shared/chat/conversation-id.ts";
import { CONVERSATION_LIST_LIMIT } from "../../shared/limits.ts";
import type { ChatLog, ConversationSummary } from "../../shared/chat/schemas.ts";
import type { ConversationPosition, DeliveryBatch } from "../../shared/chat/types.ts";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS conversations (
  conversation_id TEXT PRIMARY KEY,
  chat_type INTEGER NOT NULL,
  target_id TEXT NOT NULL,
  seq INTEGER NOT NULL DEFAULT 0,
  read_seq INTEGER NOT NULL DEFAULT 0,
  is_show INTEGER NOT NULL DEFAULT 1,
  last_msg TEXT,
  updated_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS conversations_recent ON conversations (updated_at DESC);`;

type ConversationRecord = {
  conversation_id: string;
  chat_type: number;
  target_id: string;
  seq: number;
  read_seq: number;
  is_show: number;
  last_msg: string | null;
  updated_at: number;
};

/** What applying received messages did: the new ones (to push) and the ones already known. */
export interface AppliedMessages {
  fresh: ChatLog[];
  known: ChatLog[];
}

export class ConversationIndex {
  /** `userId` is the list's owner: the session's user. */
  constructor(private readonly sql: SqlStorage, private readonly userId: string) {
    sql.exec(SCHEMA);
  }

  /**
   * Records messages delivered (or synced), in seq order. Messages at or below the row's seq
   * were seen before and are only reported back as `known`, so a retried delivery is never
   * pushed twice.
   */
  apply(batch: DeliveryBatch, now = Date.now()): AppliedMessages {
    const row = this.row(batch.conversation.conversationId) ??
      this.insert(batch.conversation, now);
    if (batch.position) this.mergePosition(row, batch.position);
    // A read marked while this session had not heard of the conversation yet is not lost.
    row.read_seq = Math.max(row.read_seq, batch.read);
    const applied: AppliedMessages = { fresh: [], known: [] };
    let lastMsg = parseLastMsg(row.last_msg);
    for (const message of batch.messages) {
      if (message.seq <= row.seq) {
        applied.known.push(message);
        continue;
      }
      row.seq = message.seq;
      lastMsg = message;
      if (message.sendId === this.userId) row.read_seq = Math.max(row.read_seq, message.seq);
      applied.fresh.push(message);
    }
    if (applied.fresh.length > 0) {
      row.last_msg = JSON.stringify(lastMsg);
      // A hidden conversation comes back when something new arrives.
      row.is_show = 1;
      row.updated_at = now;
    }
    this.save(row);
    return applied;
  }

  /** Makes sure the conversation is in the list (setup/conversation) and returns its row. */
  open(
    conversation: ParsedConversationId,
    position: ConversationPosition,
    now = Date.now(),
  ): ConversationSummary {
    const row = this.row(conversation.conversationId) ?? this.insert(conversation, now);
    this.mergePosition(row, position);
    row.is_show = 1;
    this.save(row);
    return toSummary(row);
  }

  /** Moves the read seq forward (never back); returns the row, or undefined if not listed. */
  markRead(conversationId: string, read: number): ConversationSummary | undefined {
    const row = this.row(conversationId);
    if (!row) return undefined;
    row.read_seq = Math.max(row.read_seq, read);
    this.save(row);
    return toSummary(row);
  }

  /** Shows or hides a conversation in the list; false when it is not listed. */
  setShown(conversationId: string, isShow: boolean): boolean {
    const row = this.row(conversationId);
    if (!row) return false;
    row.is_show = isShow ? 1 : 0;
    this.save(row);
    return true;
  }

  get(conversationId: string): ConversationSummary | undefined {
    const row = this.row(conversationId);
    return row ? toSummary(row) : undefined;
  }

  /** The `limit` most recently active conversations, newest first. */
  recent(limit: number): ConversationSummary[] {
    return this.sql.exec<ConversationRecord>(
      "SELECT * FROM conversations ORDER BY updated_at DESC LIMIT ?",
      limit,
    ).toArray().map(toSummary);
  }

  private row(conversationId: string): ConversationRecord | undefined {
    return this.sql.exec<ConversationRecord>(
      "SELECT * FROM conversations WHERE conversation_id = ?",
      conversationId,
    ).toArray()[0];
  }

  /**
   * A new row joins the list; the list keeps the CONVERSATION_LIST_LIMIT most recently active
   * (CONTRACT §5), so the least recently active beyond that leaves it. Its history stays in the
   * Conversation, and it comes back with its next message (whose batch carries the member's read
   * seq, so unread stays exact) or a setup.
   */
  private insert(conversation: ParsedConversationId, now: number): ConversationRecord {
    const row: ConversationRecord = {
      conversation_id: conversation.conversationId,
      chat_type: conversation.chatType,
      target_id: targetIdFor(conversation, this.userId),
      seq: 0,
      read_seq: 0,
      is_show: 1,
      last_msg: null,
      updated_at: now,
    };
    this.save(row);
    this.sql.exec(
      `DELETE FROM conversations WHERE conversation_id IN (
         SELECT conversation_id FROM conversations ORDER BY updated_at DESC, rowid DESC
         LIMIT -1 OFFSET ?)`,
      CONVERSATION_LIST_LIMIT,
    );
    return row;
  }

  private mergePosition(row: ConversationRecord, position: ConversationPosition): void {
    const lastMsg = parseLastMsg(row.last_msg);
    row.seq = Math.max(row.seq, position.seq);
    row.read_seq = Math.max(row.read_seq, position.read);
    if (position.lastMsg && (!lastMsg || position.lastMsg.seq > lastMsg.seq)) {
      row.last_msg = JSON.stringify(position.lastMsg);
    }
  }

  private save(row: ConversationRecord): void {
    this.sql.exec(
      `INSERT INTO conversations
         (conversation_id, chat_type, target_id, seq, read_seq, is_show, last_msg, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(conversation_id) DO UPDATE SET seq = excluded.seq,
         read_seq = excluded.read_seq, is_show = excluded.is_show, last_msg = excluded.last_msg,
         updated_at = excluded.updated_at`,
      row.conversation_id,
      row.chat_type,
      row.target_id,
      row.seq,
      row.read_seq,
      row.is_show,
      row.last_msg,
      row.updated_at,
    );
  }
}

function parseLastMsg(text: string | null): ChatLog | null {
  return text ? JSON.parse(text) as ChatLog : null;
}

function toSummary(row: ConversationRecord): ConversationSummary {
  return {
    conversationId: row.conversation_id,
    chatType: row.chat_type as ChatType,
    targetId: row.target_id,
    isShow: row.is_show === 1,
    seq: row.seq,
    read: row.read_seq,
    total: row.seq,
    unread: Math.max(0, row.seq - row.read_seq),
    lastMsg: parseLastMsg(row.last_msg),
  };
}
