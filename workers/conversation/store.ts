/**
 * The Conversation object's SQLite storage: the message log, idempotency keys (a unique index on
 * sender + client id), members with read positions and delivery watermarks (the outbox), and a
 * few meta values, and the membership changes announced but not yet settled. All calls are
 * synchronous (`ctx.storage.sql`), so a sequence of them between two awaits runs without
 * interleaving. The tables are created by `create()`, on the first entitled write: a request
 * that is refused must leave no storage behind (CONTRACT §9), so merely waking writes nothing.
 */
import { type ParsedConversationId, targetIdFor } from "../../shared/chat/conversation-id.ts";
import type { MType } from "../../shared/chat/message-content.ts";
import type { ChatLog } from "../../shared/chat/schemas.ts";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS messages (
  seq INTEGER PRIMARY KEY,
  msg_id TEXT NOT NULL UNIQUE,
  send_id TEXT NOT NULL,
  client_msg_id TEXT NOT NULL,
  m_type INTEGER NOT NULL,
  content TEXT NOT NULL,
  send_time INTEGER NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS messages_idempotency ON messages (send_id, client_msg_id);
CREATE TABLE IF NOT EXISTS members (
  user_id TEXT PRIMARY KEY,
  active INTEGER NOT NULL,
  left_seq INTEGER,
  read_seq INTEGER NOT NULL DEFAULT 0,
  delivered_seq INTEGER NOT NULL DEFAULT 0,
  announced INTEGER NOT NULL DEFAULT 0,
  failures INTEGER NOT NULL DEFAULT 0,
  retry_at INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS pending_changes (event_id TEXT PRIMARY KEY, prepared_at INTEGER NOT NULL);`;

export type MemberRow = {
  userId: string;
  /** 1 = current member; 0 = left (quit, kicked, dissolved): history readable up to leftSeq. */
  active: number;
  leftSeq: number | null;
  readSeq: number;
  /** Outbox watermark: messages up to here have reached this member's UserSession. */
  deliveredSeq: number;
  /** 1 once the member's UserSession has this conversation in its list. */
  announced: number;
  failures: number;
  retryAt: number;
};

type MessageRecord = {
  seq: number;
  msg_id: string;
  send_id: string;
  m_type: number;
  content: string;
  send_time: number;
};

const MEMBER_COLUMNS = `user_id AS userId, active, left_seq AS leftSeq, read_seq AS readSeq,
  delivered_seq AS deliveredSeq, announced, failures, retry_at AS retryAt`;

export class ConversationStore {
  /** `conversation` is the object's own id: every ChatLog read from here carries it. */
  private created: boolean;

  constructor(private readonly sql: SqlStorage, readonly conversation: ParsedConversationId) {
    // A read, not a write: the object may only have been woken by a request it will refuse.
    this.created = sql.exec(
      "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'members'",
    ).toArray().length > 0;
  }

  /** True once the conversation has stored anything (its tables exist). */
  exists(): boolean {
    return this.created;
  }

  /** Creates the tables; call only for a write the caller is entitled to. */
  create(): void {
    if (this.created) return;
    this.sql.exec(SCHEMA);
    this.created = true;
  }

  /** Records a membership change announced before its D1 write (see membership.ts). */
  addPendingChange(eventId: string, preparedAt: number): void {
    this.sql.exec(
      "INSERT INTO pending_changes (event_id, prepared_at) VALUES (?, ?) ON CONFLICT DO NOTHING",
      eventId,
      preparedAt,
    );
  }

  hasPendingChange(eventId: string): boolean {
    return this.sql.exec("SELECT 1 FROM pending_changes WHERE event_id = ?", eventId).toArray()
      .length > 0;
  }

  hasPendingChanges(): boolean {
    return this.created &&
      this.sql.exec("SELECT 1 FROM pending_changes LIMIT 1").toArray().length > 0;
  }

  /** Forgets one pending change (its event arrived). */
  settleChange(eventId: string): void {
    this.sql.exec("DELETE FROM pending_changes WHERE event_id = ?", eventId);
  }

  /** Forgets pending changes prepared before `time` (a D1 read is known to include them). */
  settleChangesPreparedBefore(time: number): void {
    this.sql.exec("DELETE FROM pending_changes WHERE prepared_at < ?", time);
  }

  getMeta(key: string): string | undefined {
    return this.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = ?", key)
      .toArray()[0]
      ?.value;
  }

  setMeta(key: string, value: string): void {
    this.sql.exec(
      "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
      key,
      value,
    );
  }

  lastSeq(): number {
    return this.sql.exec<{ seq: number }>("SELECT COALESCE(MAX(seq), 0) AS seq FROM messages").one()
      .seq;
  }

  /** Appends a message at the next seq; the caller wraps this in transactionSync. */
  appendMessage(message: {
    msgId: string;
    sendId: string;
    clientMsgId: string;
    mType: MType;
    content: string;
    sendTime: number;
  }): number {
    const seq = this.lastSeq() + 1;
    this.sql.exec(
      `INSERT INTO messages (seq, msg_id, send_id, client_msg_id, m_type, content, send_time)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
      seq,
      message.msgId,
      message.sendId,
      message.clientMsgId,
      message.mType,
      message.content,
      message.sendTime,
    );
    return seq;
  }

  /** The message an earlier send with this sender + client id created, if any. */
  findByClientMsgId(
    sendId: string,
    clientMsgId: string,
  ): ChatLog | null {
    const rows = this.sql.exec<MessageRecord>(
      "SELECT * FROM messages WHERE send_id = ? AND client_msg_id = ?",
      sendId,
      clientMsgId,
    ).toArray();
    return rows[0] ? this.toChatLog(rows[0]) : null;
  }

  /** Messages with afterSeq < seq <= upToSeq, ascending, at most `limit`. */
  messagesAfter(
    afterSeq: number,
    upToSeq: number,
    limit: number,
  ): ChatLog[] {
    return this.sql.exec<MessageRecord>(
      "SELECT * FROM messages WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?",
      afterSeq,
      upToSeq,
      limit,
    ).toArray().map((row) => this.toChatLog(row));
  }

  /** The `limit` messages just before `beforeSeq` (and <= upToSeq), returned ascending. */
  messagesBefore(
    beforeSeq: number,
    upToSeq: number,
    limit: number,
  ): ChatLog[] {
    return this.sql.exec<MessageRecord>(
      "SELECT * FROM messages WHERE seq < ? AND seq <= ? ORDER BY seq DESC LIMIT ?",
      beforeSeq,
      upToSeq,
      limit,
    ).toArray().reverse().map((row) => this.toChatLog(row));
  }

  message(seq: number): ChatLog | null {
    const row =
      this.sql.exec<MessageRecord>("SELECT * FROM messages WHERE seq = ?", seq).toArray()[0];
    return row ? this.toChatLog(row) : null;
  }

  member(userId: string): MemberRow | undefined {
    return this.sql.exec<MemberRow>(
      `SELECT ${MEMBER_COLUMNS} FROM members WHERE user_id = ?`,
      userId,
    )
      .toArray()[0];
  }

  members(): MemberRow[] {
    return this.sql.exec<MemberRow>(`SELECT ${MEMBER_COLUMNS} FROM members`).toArray();
  }

  activeMemberIds(): string[] {
    return this.sql.exec<{ user_id: string }>("SELECT user_id FROM members WHERE active = 1")
      .toArray().map((row) => row.user_id);
  }

  /**
   * Makes `userId` a current member. A newcomer (or a returning member) starts at the current
   * seq: earlier messages are history to read, not pushes to receive. With `announce`, the
   * member's session is told about the conversation before its next message (group joins).
   */
  activateMember(userId: string, seq: number, announce = true): void {
    this.sql.exec(
      `INSERT INTO members (user_id, active, left_seq, read_seq, delivered_seq, announced)
       VALUES (?, 1, NULL, ?, ?, ?)
       ON CONFLICT(user_id) DO UPDATE SET active = 1, left_seq = NULL,
         read_seq = MAX(read_seq, excluded.read_seq), delivered_seq = MAX(delivered_seq, excluded.delivered_seq),
         announced = 0, failures = 0, retry_at = 0
       WHERE active = 0`,
      userId,
      seq,
      seq,
      announce ? 0 : 1,
    );
  }

  /** Ends `userId`'s membership at `seq`: no more sends or pushes, history up to `seq`. */
  deactivateMember(userId: string, seq: number): void {
    this.sql.exec(
      "UPDATE members SET active = 0, left_seq = ? WHERE user_id = ? AND active = 1",
      seq,
      userId,
    );
  }

  /** Moves a member's read position forward (never back) to at most `seq`. */
  advanceRead(userId: string, seq: number): number {
    this.sql.exec("UPDATE members SET read_seq = MAX(read_seq, ?) WHERE user_id = ?", seq, userId);
    return this.member(userId)?.readSeq ?? 0;
  }

  /** Records a successful delivery up to `seq` (and that it announced, when it did). */
  markDelivered(userId: string, seq: number, announced: boolean): void {
    this.sql.exec(
      `UPDATE members SET delivered_seq = MAX(delivered_seq, ?),
       announced = MAX(announced, ?), failures = 0, retry_at = 0 WHERE user_id = ?`,
      seq,
      announced ? 1 : 0,
      userId,
    );
  }

  /** Records a failed delivery and when to try again. */
  markDeliveryFailed(userId: string, retryAt: number): void {
    this.sql.exec(
      "UPDATE members SET failures = failures + 1, retry_at = ? WHERE user_id = ?",
      retryAt,
      userId,
    );
  }

  /** Active members whose session is behind the log or has not heard of the conversation. */
  membersAwaitingDelivery(lastSeq: number): MemberRow[] {
    return this.sql.exec<MemberRow>(
      `SELECT ${MEMBER_COLUMNS} FROM members
       WHERE active = 1 AND (delivered_seq < ? OR announced = 0)`,
      lastSeq,
    ).toArray();
  }

  private toChatLog(row: MessageRecord): ChatLog {
    const { conversationId, chatType } = this.conversation;
    return {
      msgId: row.msg_id,
      conversationId,
      chatType,
      sendId: row.send_id,
      // recvId as easy-chat has it: the other user in a single chat, the group in a group chat.
      recvId: targetIdFor(this.conversation, row.send_id),
      seq: row.seq,
      mType: row.m_type as MType,
      content: row.content,
      sendTime: row.send_time,
    };
  }
}
