/**
 * The Conversation's message log: seq 1, 2, 3 … without gaps, each message once (a unique index
 * on sender + client id is the idempotency key). The last seq and the newest RECENT_MESSAGES
 * messages are mirrored in memory, so a fan-out reads no SQL per member.
 */
import type { MType } from "../../shared/chat/message-content.ts";
import { type ChatLog, MESSAGE_STATUS, type ReplyTo } from "../../shared/chat/schemas.ts";
import type { ChatLogMedia } from "../../shared/media/schemas.ts";
import type { HiddenMessages } from "./hidden-messages.ts";
import {
  type MessageRecord,
  type StoredChange,
  toChatLog,
  toStoredChange,
} from "./store-schema.ts";
import type { StoreTables } from "./store.ts";

/** A message about to be stored (its seq is the next one). */
export interface NewMessage {
  msgId: string;
  sendId: string;
  clientMsgId: string;
  mType: MType;
  content: string;
  sendTime: number;
  replyTo: ReplyTo | null;
  mentions: string[];
  media: ChatLogMedia | null;
}

/** How many of the newest messages are kept in memory for deliveries. */
const RECENT_MESSAGES = 256;

export class MessageLog {
  private last: number | null = null;
  /** The newest messages, ascending and without gaps, ending at `lastSeq()`. */
  private recent: ChatLog[] = [];

  constructor(private readonly tables: StoreTables, private readonly hidden: HiddenMessages) {}

  /** Drops the mirrors (a rolled-back transaction): they are loaded again. */
  forget(): void {
    this.last = null;
    this.recent = [];
  }

  lastSeq(): number {
    if (!this.tables.exists()) return 0;
    this.last ??= this.tables.sql.exec<{ seq: number }>(
      "SELECT COALESCE(MAX(seq), 0) AS seq FROM messages",
    ).one().seq;
    return this.last;
  }

  /** Appends a message at the next seq; the caller wraps this in `transaction`. */
  appendMessage(message: NewMessage): number {
    const seq = this.lastSeq() + 1;
    this.tables.sql.exec(
      `INSERT INTO messages (seq, msg_id, send_id, client_msg_id, m_type, content, send_time,
         reply_to, reply_msg_id, mentions, media)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      seq,
      message.msgId,
      message.sendId,
      message.clientMsgId,
      message.mType,
      message.content,
      message.sendTime,
      message.replyTo && JSON.stringify(message.replyTo),
      message.replyTo?.msgId ?? null,
      message.mentions.length > 0 ? JSON.stringify(message.mentions) : null,
      message.media && JSON.stringify(message.media),
    );
    this.last = seq;
    this.remember(toChatLog(this.tables.conversation, {
      seq,
      msg_id: message.msgId,
      send_id: message.sendId,
      m_type: message.mType,
      content: message.content,
      send_time: message.sendTime,
      status: MESSAGE_STATUS.normal,
      edit_time: 0,
      reply_to: message.replyTo && JSON.stringify(message.replyTo),
      mentions: message.mentions.length > 0 ? JSON.stringify(message.mentions) : null,
      change_seq: null,
      change_at: null,
      recall_by: null,
      edit_keys: null,
      media: message.media && JSON.stringify(message.media),
    }));
    return seq;
  }

  /** The message an earlier send with this sender + client id created, if any. */
  findByClientMsgId(sendId: string, clientMsgId: string): ChatLog | null {
    const rows = this.tables.sql.exec<MessageRecord>(
      "SELECT * FROM messages WHERE send_id = ? AND client_msg_id = ?",
      sendId,
      clientMsgId,
    ).toArray();
    return rows[0] ? toChatLog(this.tables.conversation, rows[0]) : null;
  }

  /** The message with this id and its latest change, if any. */
  messageById(msgId: string): StoredChange | null {
    if (!this.tables.exists()) return null;
    const row =
      this.tables.sql.exec<MessageRecord>("SELECT * FROM messages WHERE msg_id = ?", msgId)
        .toArray()[0];
    return row ? toStoredChange(this.tables.conversation, row) : null;
  }

  /**
   * Messages with afterSeq < seq <= upToSeq, ascending, at most `limit`; with `readerId`, those
   * that reader has not hidden (delete for me).
   */
  messagesAfter(afterSeq: number, upToSeq: number, limit: number, readerId?: string): ChatLog[] {
    const first = this.recent[0];
    if (first && afterSeq + 1 >= first.seq && !this.hidden.hidesAny(readerId)) {
      const start = afterSeq + 1 - first.seq;
      const end = Math.min(start + limit, upToSeq - first.seq + 1);
      return start < end ? this.recent.slice(start, end) : [];
    }
    const [filter, ...bindings] = this.hidden.visibleTo(readerId);
    return this.tables.sql.exec<MessageRecord>(
      `SELECT * FROM messages WHERE seq > ? AND seq <= ? ${filter} ORDER BY seq LIMIT ?`,
      afterSeq,
      upToSeq,
      ...bindings,
      limit,
    ).toArray().map((row) => toChatLog(this.tables.conversation, row));
  }

  /**
   * The `limit` messages just before `beforeSeq` (and <= upToSeq), returned ascending; with
   * `readerId`, those that reader has not hidden.
   */
  messagesBefore(beforeSeq: number, upToSeq: number, limit: number, readerId?: string): ChatLog[] {
    const [filter, ...bindings] = this.hidden.visibleTo(readerId);
    return this.tables.sql.exec<MessageRecord>(
      `SELECT * FROM messages WHERE seq < ? AND seq <= ? ${filter} ORDER BY seq DESC LIMIT ?`,
      beforeSeq,
      upToSeq,
      ...bindings,
      limit,
    ).toArray().reverse().map((row) => toChatLog(this.tables.conversation, row));
  }

  message(seq: number): ChatLog | null {
    const row =
      this.tables.sql.exec<MessageRecord>("SELECT * FROM messages WHERE seq = ?", seq).toArray()[0];
    return row ? toChatLog(this.tables.conversation, row) : null;
  }

  /**
   * Seqs of the messages after `afterSeq` (up to `upToSeq`) that mention `userId` or all and
   * are someone else's and not recalled, newest first, at most `limit`.
   */
  mentionSeqs(userId: string, afterSeq: number, upToSeq: number, limit: number): number[] {
    if (!this.tables.exists()) return [];
    return this.tables.sql.exec<{ seq: number }>(
      `SELECT seq FROM messages WHERE seq > ? AND seq <= ? AND send_id != ? AND mentions IS NOT NULL
         AND EXISTS (SELECT 1 FROM json_each(messages.mentions) WHERE value IN (?, 'all'))
       ORDER BY seq DESC LIMIT ?`,
      afterSeq,
      upToSeq,
      userId,
      userId,
      limit,
    ).toArray().map((row) => row.seq);
  }

  /** Keeps a just-stored message among the newest in memory. */
  private remember(message: ChatLog): void {
    const previous = this.recent.at(-1);
    if (previous && previous.seq !== message.seq - 1) this.recent = [];
    this.recent.push(message);
    if (this.recent.length > RECENT_MESSAGES) this.recent.shift();
  }

  /** The newest messages in memory follow a change made to the table (a recall, an edit). */
  rewriteRecent(rewrite: (message: ChatLog) => ChatLog): void {
    this.recent = this.recent.map(rewrite);
  }
}
