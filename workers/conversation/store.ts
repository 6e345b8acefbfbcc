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
import type { ParsedConversationId } from "../../shared/chat/conversation-id.ts";
import type { MType } from "../../shared/chat/message-content.ts";
import { type ChatLog, MESSAGE_STATUS, type ReplyTo } from "../../shared/chat/schemas.ts";
import { previewOf } from "../../shared/chat/preview.ts";
import { hasTable } from "../storage-tables.ts";
import {
  MEMBER_COLUMNS,
  type MemberRow,
  type MessageRecord,
  META,
  SCHEMA,
  SCHEMA_VERSION,
  type StoredChange,
  toChatLog,
  toStoredChange,
  upgradeSchema,
} from "./store-schema.ts";

export type { MemberRow, StoredChange };

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
}

const META_SCHEMA_VERSION = "schemaVersion";
/** The conversation's last change seq (recalls and edits), as a string in `meta`. */
const META_LAST_CHANGE = "lastChange";

/**
 * Request ids of a message's edits kept to recognise a resent edit: a client's outbox resends
 * only what is still unacked, so a few suffice.
 */
const EDIT_KEYS_KEPT = 8;

/** How many of the newest messages are kept in memory for deliveries. */
const RECENT_MESSAGES = 256;

export class ConversationStore {
  /** `conversation` is the object's own id: every ChatLog read from here carries it. */
  private created: boolean;
  /** Mirrors of the tables, loaded on first use after a wake (see the file comment). */
  private memberRows: Map<string, MemberRow> | null = null;
  private metaValues: Map<string, string> | null = null;
  private pendingChangeIds: Set<string> | null = null;
  /** Members with rows in `hidden` (delete for me by id). */
  private hidingMembers: Set<string> | null = null;
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
    const sql = storage.sql;
    this.sql = sql;
    // A read, not a write: the object may only have been woken by a request it will refuse.
    this.created = hasTable(sql, "members");
    if (this.created && this.getMeta(META_SCHEMA_VERSION) !== SCHEMA_VERSION) this.upgrade();
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
    this.setMeta(META_SCHEMA_VERSION, SCHEMA_VERSION);
  }

  /** Brings a store made by an older version to this one (its rows stay as they are). */
  private upgrade(): void {
    this.storage.transactionSync(() => {
      upgradeSchema(this.sql);
      this.setMeta(META_SCHEMA_VERSION, SCHEMA_VERSION);
      // The new columns (roles, mutes, blocks) start at their defaults: the next request reads
      // the membership from D1 before it trusts them.
      this.setMeta(META.loadedAt, "0");
    });
    this.memberRows = null;
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

  /** The last change seq: how many recalls and edits this conversation has had. */
  lastChange(): number {
    return Number(this.getMeta(META_LAST_CHANGE) ?? 0);
  }

  /** Appends a message at the next seq; the caller wraps this in `transaction`. */
  appendMessage(message: NewMessage): number {
    const seq = this.lastSeq() + 1;
    this.sql.exec(
      `INSERT INTO messages (seq, msg_id, send_id, client_msg_id, m_type, content, send_time,
         reply_to, reply_msg_id, mentions)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
    );
    this.last = seq;
    this.remember(toChatLog(this.conversation, {
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
      this.hidingMembers = null;
      this.last = null;
      this.recent = [];
      throw error;
    }
  }

  /** The message an earlier send with this sender + client id created, if any. */
  findByClientMsgId(sendId: string, clientMsgId: string): ChatLog | null {
    const rows = this.sql.exec<MessageRecord>(
      "SELECT * FROM messages WHERE send_id = ? AND client_msg_id = ?",
      sendId,
      clientMsgId,
    ).toArray();
    return rows[0] ? toChatLog(this.conversation, rows[0]) : null;
  }

  /** The message with this id and its latest change, if any. */
  messageById(msgId: string): StoredChange | null {
    if (!this.created) return null;
    const row = this.sql.exec<MessageRecord>("SELECT * FROM messages WHERE msg_id = ?", msgId)
      .toArray()[0];
    return row ? toStoredChange(this.conversation, row) : null;
  }

  /**
   * Messages with afterSeq < seq <= upToSeq, ascending, at most `limit`; with `readerId`, those
   * that reader has not hidden (delete for me).
   */
  messagesAfter(afterSeq: number, upToSeq: number, limit: number, readerId?: string): ChatLog[] {
    const first = this.recent[0];
    if (first && afterSeq + 1 >= first.seq && !this.hidesAny(readerId)) {
      const start = afterSeq + 1 - first.seq;
      const end = Math.min(start + limit, upToSeq - first.seq + 1);
      return start < end ? this.recent.slice(start, end) : [];
    }
    const [filter, ...bindings] = this.visibleTo(readerId);
    return this.sql.exec<MessageRecord>(
      `SELECT * FROM messages WHERE seq > ? AND seq <= ? ${filter} ORDER BY seq LIMIT ?`,
      afterSeq,
      upToSeq,
      ...bindings,
      limit,
    ).toArray().map((row) => toChatLog(this.conversation, row));
  }

  /**
   * The `limit` messages just before `beforeSeq` (and <= upToSeq), returned ascending; with
   * `readerId`, those that reader has not hidden.
   */
  messagesBefore(beforeSeq: number, upToSeq: number, limit: number, readerId?: string): ChatLog[] {
    const [filter, ...bindings] = this.visibleTo(readerId);
    return this.sql.exec<MessageRecord>(
      `SELECT * FROM messages WHERE seq < ? AND seq <= ? ${filter} ORDER BY seq DESC LIMIT ?`,
      beforeSeq,
      upToSeq,
      ...bindings,
      limit,
    ).toArray().reverse().map((row) => toChatLog(this.conversation, row));
  }

  message(seq: number): ChatLog | null {
    const row =
      this.sql.exec<MessageRecord>("SELECT * FROM messages WHERE seq = ?", seq).toArray()[0];
    return row ? toChatLog(this.conversation, row) : null;
  }

  /**
   * Recalls message `seq` (status 1, content and mentions cleared, quotes of it blanked) as the
   * next change; the caller wraps this in `transaction`.
   */
  recall(seq: number, recallBy: string): StoredChange {
    const changeSeq = this.nextChange();
    this.sql.exec(
      `UPDATE messages SET status = 1, content = '', mentions = NULL, recall_by = ?,
         change_seq = ?, change_at = ? WHERE seq = ?`,
      recallBy,
      changeSeq,
      this.lastSeq(),
      seq,
    );
    return this.afterChange(seq, "");
  }

  /**
   * Replaces message `seq`'s content as the next change, remembering the edit's request id
   * (`key`) among the last EDIT_KEYS_KEPT; the caller wraps this in `transaction`.
   */
  edit(seq: number, content: string, editTime: number, key?: string): StoredChange {
    const changeSeq = this.nextChange();
    const keys = key === undefined ? this.editKeys(seq) : [...this.editKeys(seq), key];
    this.sql.exec(
      `UPDATE messages SET content = ?, edit_time = ?, change_seq = ?, change_at = ?, edit_keys = ?
       WHERE seq = ?`,
      content,
      editTime,
      changeSeq,
      this.lastSeq(),
      JSON.stringify(keys.slice(-EDIT_KEYS_KEPT)),
      seq,
    );
    return this.afterChange(seq, previewOf(content));
  }

  /** The request ids of message `seq`'s last edits, oldest first. */
  editKeys(seq: number): string[] {
    const row = this.sql.exec<{ edit_keys: string | null }>(
      "SELECT edit_keys FROM messages WHERE seq = ?",
      seq,
    ).toArray()[0];
    return row?.edit_keys ? JSON.parse(row.edit_keys) as string[] : [];
  }

  /**
   * Recalls and edits with a change seq above `afterChange`, in change order, at most `limit`:
   * with `atMost`, only those that happened when the log ended at or before it (a delivery
   * carries a change after the message it follows); with `upToSeq`, only changes of messages
   * up to it (what a former member may read).
   */
  changesAfter(
    afterChange: number,
    limit: number,
    options: { atMost?: number; upToSeq?: number } = {},
  ): StoredChange[] {
    if (!this.created || afterChange >= this.lastChange()) return [];
    return this.sql.exec<MessageRecord>(
      `SELECT * FROM messages WHERE change_seq > ? AND change_at <= ? AND seq <= ?
       ORDER BY change_seq LIMIT ?`,
      afterChange,
      options.atMost ?? Number.MAX_SAFE_INTEGER,
      options.upToSeq ?? Number.MAX_SAFE_INTEGER,
      limit,
    ).toArray().map((row) => toStoredChange(this.conversation, row));
  }

  /**
   * Seqs of the messages after `afterSeq` (up to `upToSeq`) that mention `userId` or all and
   * are someone else's and not recalled, newest first, at most `limit`.
   */
  mentionSeqs(userId: string, afterSeq: number, upToSeq: number, limit: number): number[] {
    if (!this.created) return [];
    return this.sql.exec<{ seq: number }>(
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

  /** Hides messages from `userId`'s own history: these seqs, and everything up to `upToSeq`. */
  hide(userId: string, seqs: readonly number[], upToSeq: number): void {
    const row = this.memberMap().get(userId);
    if (!row) return;
    if (upToSeq > row.hiddenUpTo) {
      this.saveMember({ ...row, hiddenUpTo: upToSeq });
      this.sql.exec("DELETE FROM hidden WHERE user_id = ? AND seq <= ?", userId, upToSeq);
    }
    const above = seqs.filter((seq) => seq > Math.max(row.hiddenUpTo, upToSeq));
    if (above.length === 0) return;
    this.sql.exec(
      `INSERT INTO hidden (user_id, seq) SELECT ?, value FROM json_each(?) WHERE true
       ON CONFLICT DO NOTHING`,
      userId,
      JSON.stringify(above),
    );
    this.hiding().add(userId);
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
   * seq and change seq: earlier messages are history to read, not pushes to receive. With
   * `announce`, the member's session is told about the conversation before its next message
   * (group joins).
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
      deliveredChange: Math.max(row?.deliveredChange ?? 0, this.lastChange()),
      announced: row || announce ? 0 : 1,
      failures: 0,
      retryAt: 0,
      roleLevel: row?.roleLevel ?? 3,
      muteUntil: row?.muteUntil ?? 0,
      hiddenUpTo: row?.hiddenUpTo ?? 0,
    });
  }

  /** Records a member's group role and mute as D1 has them. */
  setMemberRights(userId: string, roleLevel: number, muteUntil: number): void {
    const row = this.memberMap().get(userId);
    if (row && (row.roleLevel !== roleLevel || row.muteUntil !== muteUntil)) {
      this.saveMember({ ...row, roleLevel, muteUntil });
    }
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
   * Records a successful delivery up to `seq` and change `change` (and that it announced, when
   * it did) in memory; `saveDeliveries` writes it.
   */
  markDelivered(userId: string, seq: number, change: number, announced: boolean): void {
    const row = this.memberMap().get(userId);
    if (!row) return;
    row.deliveredSeq = Math.max(row.deliveredSeq, seq);
    row.deliveredChange = Math.max(row.deliveredChange, change);
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
         delivered_change = MAX(members.delivered_change, d.change),
         announced = MAX(members.announced, d.done), failures = 0, retry_at = 0
       FROM (SELECT value ->> '$[0]' AS id, value ->> '$[1]' AS seq, value ->> '$[2]' AS done,
               value ->> '$[3]' AS change
             FROM json_each(?)) AS d
       WHERE members.user_id = d.id`,
      JSON.stringify(
        rows.map((row) => [row.userId, row.deliveredSeq, row.announced, row.deliveredChange]),
      ),
    );
    return true;
  }

  /** Records a failed delivery and when to try again. */
  markDeliveryFailed(userId: string, retryAt: number): void {
    const row = this.memberMap().get(userId);
    if (row) this.saveMember({ ...row, failures: row.failures + 1, retryAt });
  }

  /** Active members whose session is behind the log or its changes, or not announced yet. */
  membersAwaitingDelivery(): MemberRow[] {
    const lastSeq = this.lastSeq();
    const lastChange = this.lastChange();
    return this.members().filter((row) => row.active && isBehind(row, lastSeq, lastChange));
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

  /** Writes a member's whole row (its watermarks included) and mirrors it. */
  private saveMember(row: MemberRow): void {
    this.sql.exec(
      `INSERT INTO members (user_id, active, left_seq, read_seq, delivered_seq, delivered_change,
         announced, failures, retry_at, role_level, mute_until, hidden_up_to)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(user_id) DO UPDATE SET active = excluded.active, left_seq = excluded.left_seq,
         read_seq = excluded.read_seq, delivered_seq = excluded.delivered_seq,
         delivered_change = excluded.delivered_change, announced = excluded.announced,
         failures = excluded.failures, retry_at = excluded.retry_at,
         role_level = excluded.role_level, mute_until = excluded.mute_until,
         hidden_up_to = excluded.hidden_up_to`,
      row.userId,
      row.active,
      row.leftSeq,
      row.readSeq,
      row.deliveredSeq,
      row.deliveredChange,
      row.announced,
      row.failures,
      row.retryAt,
      row.roleLevel,
      row.muteUntil,
      row.hiddenUpTo,
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

  private hiding(): Set<string> {
    this.hidingMembers ??= new Set(
      this.sql.exec<{ user_id: string }>("SELECT DISTINCT user_id FROM hidden").toArray()
        .map((row) => row.user_id),
    );
    return this.hidingMembers;
  }

  /** True when `readerId` has hidden anything here (reads for them filter in SQL). */
  private hidesAny(readerId: string | undefined): boolean {
    if (readerId === undefined || !this.created) return false;
    return (this.memberMap().get(readerId)?.hiddenUpTo ?? 0) > 0 || this.hiding().has(readerId);
  }

  /** A SQL condition (and its bindings) keeping only what `readerId` has not hidden. */
  private visibleTo(readerId: string | undefined): [string, ...(string | number)[]] {
    if (!this.hidesAny(readerId)) return [""];
    const hiddenUpTo = this.memberMap().get(readerId!)?.hiddenUpTo ?? 0;
    return [
      `AND seq > ? AND NOT EXISTS
         (SELECT 1 FROM hidden WHERE hidden.user_id = ? AND hidden.seq = messages.seq)`,
      hiddenUpTo,
      readerId!,
    ];
  }

  private nextChange(): number {
    const changeSeq = this.lastChange() + 1;
    this.setMeta(META_LAST_CHANGE, String(changeSeq));
    return changeSeq;
  }

  /**
   * After a recall or edit of `seq`: the quotes of it get `preview`, the mirrors follow, and the
   * message is returned as it is now.
   */
  private afterChange(seq: number, preview: string): StoredChange {
    const row = this.sql.exec<MessageRecord>("SELECT * FROM messages WHERE seq = ?", seq).one();
    this.sql.exec(
      `UPDATE messages SET reply_to = json_set(reply_to, '$.preview', ?) WHERE reply_msg_id = ?`,
      preview,
      row.msg_id,
    );
    const changed = toStoredChange(this.conversation, row);
    this.recent = this.recent.map((message) => {
      if (message.seq === seq) return changed.message;
      if (message.replyTo?.msgId === row.msg_id) {
        return { ...message, replyTo: { ...message.replyTo, preview } };
      }
      return message;
    });
    return changed;
  }

  /** Keeps a just-stored message among the newest in memory. */
  private remember(message: ChatLog): void {
    const previous = this.recent.at(-1);
    if (previous && previous.seq !== message.seq - 1) this.recent = [];
    this.recent.push(message);
    if (this.recent.length > RECENT_MESSAGES) this.recent.shift();
  }
}

/** True when a member's session lacks messages, changes, or the conversation itself. */
export function isBehind(row: MemberRow, lastSeq: number, lastChange: number): boolean {
  return row.deliveredSeq < lastSeq || row.deliveredChange < lastChange || row.announced === 0;
}
