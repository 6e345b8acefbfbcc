/**
 * The Conversation object's SQLite storage: the message log, idempotency keys (a unique index on
 * sender + client id), members with read positions and delivery watermarks (the outbox), and a
 * few meta values, and the membership changes announced but not yet settled. All calls are
 * synchronous (`ctx.storage.sql`), so a sequence of them between two awaits runs without
 * interleaving. The tables are created by `create()`, on the first entitled write: a request
 * that is refused must leave no storage behind (CONTRACT §9), so merely waking writes nothing.
 *
 * The members, the meta values, the last seq and the newest messages are mirrored in memory
 * (loaded once per wake, written through): a fan-out reads no SQL per member. Delivery
 * watermarks are the one write that is deferred: `markDelivered` moves the mirror at once and
 * `saveDeliveries` writes every moved watermark in one transaction. A watermark lost with the
 * object only means a redelivery, which the member's session drops by seq.
 */
import { type ParsedConversationId, targetIdFor } from "../../shared/chat/conversation-id.ts";
import type { MType } from "../../shared/chat/message-content.ts";
import type { ChatLog } from "../../shared/chat/schemas.ts";
import { metered } from "../storage-meter.ts";
import { hasTable } from "../storage-tables.ts";

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

/** How many of the newest messages are kept in memory for deliveries. */
const RECENT_MESSAGES = 256;

export class ConversationStore {
  /** `conversation` is the object's own id: every ChatLog read from here carries it. */
  private created: boolean;
  /** Mirrors of the tables, loaded on first use after a wake (see the file comment). */
  private memberRows: Map<string, MemberRow> | null = null;
  private metaValues: Map<string, string> | null = null;
  private pendingChangeIds: Set<string> | null = null;
  private last: number | null = null;
  /** The newest messages, ascending and without gaps, ending at `lastSeq()`. */
  private recent: ChatLog[] = [];
  /** Members whose delivery watermark moved in memory and is not saved yet. */
  private readonly unsavedDeliveries = new Set<string>();

  private readonly sql: SqlStorage;

  constructor(
    private readonly storage: DurableObjectStorage,
    readonly conversation: ParsedConversationId,
  ) {
    const sql = metered(storage.sql);
    this.sql = sql;
    // A read, not a write: the object may only have been woken by a request it will refuse.
    this.created = hasTable(sql, "members");
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
    this.pendingChanges().add(eventId);
  }

  hasPendingChange(eventId: string): boolean {
    return this.created && this.pendingChanges().has(eventId);
  }

  hasPendingChanges(): boolean {
    return this.created && this.pendingChanges().size > 0;
  }

  /** Forgets one pending change (its event arrived). */
  settleChange(eventId: string): void {
    this.sql.exec("DELETE FROM pending_changes WHERE event_id = ?", eventId);
    this.pendingChanges().delete(eventId);
  }

  /** Forgets pending changes prepared before `time` (a D1 read is known to include them). */
  settleChangesPreparedBefore(time: number): void {
    const settled = this.sql.exec<{ event_id: string }>(
      "DELETE FROM pending_changes WHERE prepared_at < ? RETURNING event_id",
      time,
    ).toArray();
    for (const row of settled) this.pendingChanges().delete(row.event_id);
  }

  getMeta(key: string): string | undefined {
    if (!this.created) return undefined;
    if (!this.metaValues) {
      const rows = this.sql.exec<{ key: string; value: string }>("SELECT key, value FROM meta");
      this.metaValues = new Map(rows.toArray().map((row) => [row.key, row.value]));
    }
    return this.metaValues.get(key);
  }

  setMeta(key: string, value: string): void {
    if (this.getMeta(key) === value) return;
    this.sql.exec(
      "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
      key,
      value,
    );
    this.metaValues?.set(key, value);
  }

  lastSeq(): number {
    if (!this.created) return 0;
    this.last ??= this.sql.exec<{ seq: number }>(
      "SELECT COALESCE(MAX(seq), 0) AS seq FROM messages",
    ).one().seq;
    return this.last;
  }

  /** Appends a message at the next seq; the caller wraps this in `transaction`. */
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
    this.last = seq;
    this.remember(this.toChatLog({
      seq,
      msg_id: message.msgId,
      send_id: message.sendId,
      m_type: message.mType,
      content: message.content,
      send_time: message.sendTime,
    }));
    return seq;
  }

  /**
   * Runs `work` as one SQLite transaction. If it throws, the rollback undoes the tables and the
   * mirrors are dropped, to be loaded again from them.
   */
  transaction<T>(work: () => T): T {
    try {
      return this.storage.transactionSync(work);
    } catch (error) {
      this.memberRows = null;
      this.unsavedDeliveries.clear();
      this.metaValues = null;
      this.pendingChangeIds = null;
      this.last = null;
      this.recent = [];
      throw error;
    }
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
    const first = this.recent[0];
    if (first && afterSeq + 1 >= first.seq) {
      const start = afterSeq + 1 - first.seq;
      const end = Math.min(start + limit, upToSeq - first.seq + 1);
      return start < end ? this.recent.slice(start, end) : [];
    }
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

  /** A member's row (a copy: change it through the methods below). */
  member(userId: string): MemberRow | undefined {
    const row = this.memberMap().get(userId);
    return row ? { ...row } : undefined;
  }

  members(): MemberRow[] {
    return [...this.memberMap().values()].map((row) => ({ ...row }));
  }

  activeMemberIds(): string[] {
    const ids: string[] = [];
    for (const row of this.memberMap().values()) if (row.active) ids.push(row.userId);
    return ids;
  }

  /**
   * Makes `userId` a current member. A newcomer (or a returning member) starts at the current
   * seq: earlier messages are history to read, not pushes to receive. With `announce`, the
   * member's session is told about the conversation before its next message (group joins).
   */
  activateMember(userId: string, seq: number, announce = true): void {
    const row = this.memberMap().get(userId);
    if (row?.active) return;
    this.saveMember({
      userId,
      active: 1,
      leftSeq: null,
      readSeq: Math.max(row?.readSeq ?? 0, seq),
      deliveredSeq: Math.max(row?.deliveredSeq ?? 0, seq),
      announced: row || announce ? 0 : 1,
      failures: 0,
      retryAt: 0,
    });
  }

  /** Ends `userId`'s membership at `seq`: no more sends or pushes, history up to `seq`. */
  deactivateMember(userId: string, seq: number): void {
    const row = this.memberMap().get(userId);
    if (row?.active) this.saveMember({ ...row, active: 0, leftSeq: seq });
  }

  /** Moves a member's read position forward (never back) to at most `seq`. */
  advanceRead(userId: string, seq: number): number {
    const row = this.memberMap().get(userId);
    if (!row) return 0;
    if (seq > row.readSeq) this.saveMember({ ...row, readSeq: seq });
    return Math.max(row.readSeq, seq);
  }

  /**
   * Records a successful delivery up to `seq` (and that it announced, when it did) in memory;
   * `saveDeliveries` writes it.
   */
  markDelivered(userId: string, seq: number, announced: boolean): void {
    const row = this.memberMap().get(userId);
    if (!row) return;
    row.deliveredSeq = Math.max(row.deliveredSeq, seq);
    row.announced = Math.max(row.announced, announced ? 1 : 0);
    row.failures = 0;
    row.retryAt = 0;
    this.unsavedDeliveries.add(userId);
  }

  /**
   * Writes the watermarks `markDelivered` moved since the last save, in one statement; false
   * when there was nothing to write.
   */
  saveDeliveries(): boolean {
    if (this.unsavedDeliveries.size === 0) return false;
    const rows = [...this.unsavedDeliveries].flatMap((id) => this.memberMap().get(id) ?? []);
    this.unsavedDeliveries.clear();
    this.sql.exec(
      `UPDATE members SET delivered_seq = MAX(members.delivered_seq, d.seq),
         announced = MAX(members.announced, d.done), failures = 0, retry_at = 0
       FROM (SELECT value ->> '$[0]' AS id, value ->> '$[1]' AS seq, value ->> '$[2]' AS done
             FROM json_each(?)) AS d
       WHERE members.user_id = d.id`,
      JSON.stringify(rows.map((row) => [row.userId, row.deliveredSeq, row.announced])),
    );
    return true;
  }

  /** Records a failed delivery and when to try again. */
  markDeliveryFailed(userId: string, retryAt: number): void {
    const row = this.memberMap().get(userId);
    if (row) this.saveMember({ ...row, failures: row.failures + 1, retryAt });
  }

  /** Active members whose session is behind the log or has not heard of the conversation. */
  membersAwaitingDelivery(lastSeq: number): MemberRow[] {
    return this.members().filter((row) =>
      row.active && (row.deliveredSeq < lastSeq || row.announced === 0)
    );
  }

  private memberMap(): Map<string, MemberRow> {
    if (!this.memberRows) {
      const rows = this.created
        ? this.sql.exec<MemberRow>(`SELECT ${MEMBER_COLUMNS} FROM members`).toArray()
        : [];
      this.memberRows = new Map(rows.map((row) => [row.userId, row]));
    }
    return this.memberRows;
  }

  /** Writes a member's whole row (its watermark included) and mirrors it. */
  private saveMember(row: MemberRow): void {
    this.sql.exec(
      `INSERT INTO members (user_id, active, left_seq, read_seq, delivered_seq, announced, failures, retry_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(user_id) DO UPDATE SET active = excluded.active, left_seq = excluded.left_seq,
         read_seq = excluded.read_seq, delivered_seq = excluded.delivered_seq,
         announced = excluded.announced, failures = excluded.failures, retry_at = excluded.retry_at`,
      row.userId,
      row.active,
      row.leftSeq,
      row.readSeq,
      row.deliveredSeq,
      row.announced,
      row.failures,
      row.retryAt,
    );
    this.memberMap().set(row.userId, row);
    this.unsavedDeliveries.delete(row.userId);
  }

  private pendingChanges(): Set<string> {
    this.pendingChangeIds ??= new Set(
      this.sql.exec<{ event_id: string }>("SELECT event_id FROM pending_changes").toArray()
        .map((row) => row.event_id),
    );
    return this.pendingChangeIds;
  }

  /** Keeps a just-stored message among the newest in memory. */
  private remember(message: ChatLog): void {
    const previous = this.recent.at(-1);
    if (previous && previous.seq !== message.seq - 1) this.recent = [];
    this.recent.push(message);
    if (this.recent.length > RECENT_MESSAGES) this.recent.shift();
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
