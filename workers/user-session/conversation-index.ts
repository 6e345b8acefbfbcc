/**
 * The user's conversation list, kept in the UserSession's own SQLite storage so that listing
 * conversations (and `session.ready`) is one local read, not one call per conversation.
 *
 * Each row holds the last seq this user's session has received and the user's read seq; since
 * `seq` runs without gaps and sending moves your own read to your message, every message after
 * `read` is someone else's: `unread = seq - read`.
 *
 * A delivery to a quiet list is written at once; deliveries that follow it within SAVE_DELAY_MS
 * change rows in memory (every read here sees them at once) and are saved together, one
 * transaction per SAVE_DELAY_MS, not one per message.
 *
 * The `unsaved` table lists the conversations whose stored row may be behind its conversation:
 * - changed in memory and not saved yet (written before the first unsaved change; the first
 *   save that finds the row unchanged clears it);
 * - away: a delivery found no socket, so the conversation calls no more until asked (the first
 *   message after the user went quiet is its one call per absence);
 * - left by the previous instance, which went away with one of the above.
 * `behind()` lists the ones to ask, and the session asks those conversations where it stands
 * (`Conversation.catchUpMember`) before it starts, before `session.ready` and before a list is
 * answered, so both are exact at once.
 */
import {
  type ChatType,
  type ParsedConversationId,
  targetIdFor,
} from "../../shared/chat/conversation-id.ts";
import { CONVERSATION_LIST_LIMIT } from "../../shared/limits.ts";
import {
  type AddedColumn,
  addMissingColumns,
  columnsSql,
  tableDefinition,
} from "../storage-tables.ts";
import type { ChatLog, ConversationSummary } from "../../shared/chat/schemas.ts";
import type { ConversationPosition, DeliveryBatch } from "../../shared/chat/types.ts";
import {
  inOrder,
  keptMentions,
  lastMsgAfter,
  mentionsUser,
  newChanges,
  parseSeqs,
  type PushItem,
} from "./list-rows.ts";

export type { PushItem };

/** Columns added after the first version: a list made before gets them when the session starts. */
const ADDED_COLUMNS: readonly AddedColumn[] = [
  // The last change (recall, edit) this row has seen: later ones are new.
  ["change_seq", "INTEGER NOT NULL DEFAULT 0"],
  // JSON array of the seqs of unread messages mentioning the user or all (newest first).
  ["mention_seqs", "TEXT"],
];

const SCHEMA = `
CREATE TABLE IF NOT EXISTS conversations (
  conversation_id TEXT PRIMARY KEY,
  chat_type INTEGER NOT NULL,
  target_id TEXT NOT NULL,
  seq INTEGER NOT NULL DEFAULT 0,
  read_seq INTEGER NOT NULL DEFAULT 0,
  is_show INTEGER NOT NULL DEFAULT 1,
  last_msg TEXT,
  updated_at INTEGER NOT NULL${columnsSql(ADDED_COLUMNS)}
);
CREATE INDEX IF NOT EXISTS conversations_recent ON conversations (updated_at DESC);
CREATE TABLE IF NOT EXISTS unsaved (conversation_id TEXT PRIMARY KEY);`;

/**
 * How long delivered changes wait in memory so that one transaction saves many. A delivery to a
 * quiet list (nothing saved for this long) is written at once and opens the next wait.
 */
export const SAVE_DELAY_MS = 1_000;

type ConversationRecord = {
  conversation_id: string;
  chat_type: number;
  target_id: string;
  seq: number;
  read_seq: number;
  is_show: number;
  last_msg: string | null;
  updated_at: number;
  change_seq: number;
  mention_seqs: string | null;
};

export class ConversationIndex {
  /** Rows read or changed since the object started; the ones not yet written are in `changed`. */
  private readonly rows = new Map<string, ConversationRecord>();
  /** The last `recent` answer, until the list changes (a list read repeats far more than writes). */
  private recentAnswer: { limit: number; list: ConversationSummary[] } | null = null;
  private readonly changed = new Set<string>();
  /** Conversations whose id is in `unsaved`. */
  private readonly marked = new Set<string>();
  /** Conversations whose last delivery found no socket → that delivery's number. */
  private readonly away = new Map<string, number>();
  private deliveriesAway = 0;
  /** Marks the previous instance left: their rows are asked for before anything is served. */
  private readonly leftBehind: Set<string>;
  private saveTimer: ReturnType<typeof setTimeout> | null = null;

  private readonly sql: SqlStorage;

  /** Whether the tables exist: made by the first write, so a session that connects writes none. */
  private created: boolean;

  /** `userId` is the list's owner: the session's user. */
  constructor(private readonly storage: DurableObjectStorage, private readonly userId: string) {
    this.sql = storage.sql;
    // One read tells whether there is a list and whether it has every column: a wake of a
    // current list runs no schema statement.
    const definition = tableDefinition(this.sql, "conversations");
    this.created = definition !== null;
    if (definition !== null && !hasEveryColumn(definition)) {
      // A list made by an earlier version: the tables and columns that came later.
      storage.transactionSync(() => {
        this.sql.exec(SCHEMA);
        addMissingColumns(this.sql, "conversations", ADDED_COLUMNS);
      });
    }
    this.leftBehind = new Set(
      this.created
        ? this.sql.exec<{ conversation_id: string }>("SELECT conversation_id FROM unsaved")
          .toArray().map((row) => row.conversation_id)
        : [],
    );
    for (const id of this.leftBehind) this.marked.add(id);
  }

  /**
   * The conversations to ask where this user stands before the list is read (see the file
   * comment), each with a number that says which delivery away it covers.
   */
  behind(): Array<{ conversationId: string; asOf: number }> {
    const ids = new Set([...this.leftBehind, ...this.away.keys()]);
    return [...ids].map((conversationId) => ({ conversationId, asOf: this.deliveriesAway }));
  }

  /**
   * A delivery found no socket: the conversation calls no more until asked, so the row is
   * marked before the delivery returns.
   */
  markAway(conversationId: string): void {
    this.away.set(conversationId, ++this.deliveriesAway);
    this.mark(conversationId);
  }

  private create(): void {
    if (this.created) return;
    this.sql.exec(SCHEMA);
    this.created = true;
  }

  /**
   * Records messages and changes delivered (or synced) and returns the new ones as pushes, in
   * the order they happened. Messages at or below the row's seq, and changes at or below its
   * change seq, were seen before and are dropped, so a retried delivery is never pushed twice.
   * `beforeSaving` gets the new ones once the row is up to date in memory and before it is
   * written: a push sent after a write waits for that write's commit.
   */
  apply(
    batch: DeliveryBatch,
    beforeSaving: (fresh: PushItem[]) => void,
    now = Date.now(),
  ): PushItem[] {
    const known = this.row(batch.conversation.conversationId);
    if (!known && batch.messages.length === 0 && !batch.position) {
      // Changes of a conversation that left the list: pushed (they are state, a repeat is
      // harmless), not listed — only a message or a setup brings a conversation back.
      const fresh = inOrder([], batch.changes ?? []);
      beforeSaving(fresh);
      return fresh;
    }
    const row = known ?? this.insert(batch.conversation, now);
    if (batch.position) this.mergePosition(row, batch.position);
    // A read marked while this session had not heard of the conversation yet is not lost.
    row.read_seq = Math.max(row.read_seq, batch.read);
    // Seqs ascend, so the new messages are the batch's tail and the last of them is `lastMsg`.
    const messages = batch.messages.filter((message) => message.seq > row.seq);
    // Most deliveries mention nobody and recall nothing: the kept mentions are read only when
    // something touches them.
    let mentions: Set<number> | null = null;
    const mentionSet = () => (mentions ??= new Set(parseSeqs(row.mention_seqs)));
    for (const message of messages) {
      row.seq = message.seq;
      if (message.sendId === this.userId) row.read_seq = Math.max(row.read_seq, message.seq);
      else if (mentionsUser(message.mentions, this.userId)) mentionSet().add(message.seq);
    }
    if (messages.length > 0) {
      row.last_msg = batch.lastMsg;
      // A hidden conversation comes back when something new arrives.
      row.is_show = 1;
      row.updated_at = now;
    }
    const changes = newChanges(batch.changes ?? [], row.seq, row.change_seq);
    for (const change of changes) {
      row.change_seq = change.changeSeq;
      if (change.recalled) mentionSet().delete(change.seq);
      row.last_msg = lastMsgAfter(row.last_msg, change);
    }
    if (mentions !== null || row.mention_seqs !== null) {
      row.mention_seqs = keptMentions(mentionSet(), row.read_seq);
    }
    const fresh = inOrder(messages, changes);
    beforeSaving(fresh);
    this.changeLater(row);
    return fresh;
  }

  /**
   * Merges where the user stands in a conversation, as its object says (null: nowhere), into
   * its row, and clears the mark when nothing newer is waiting: no unsaved change, and no
   * delivery away after `asOf` (see `behind`).
   */
  caughtUp(
    conversation: ParsedConversationId,
    position: ConversationPosition | null,
    asOf: number,
  ): void {
    const id = conversation.conversationId;
    const row = this.row(id);
    if (row && position) {
      if (position.seq > row.seq) {
        // What the deliveries it stands for would have done: something new arrived.
        row.is_show = 1;
        row.updated_at = position.lastMsg?.sendTime ?? Date.now();
      }
      this.mergePosition(row, position);
      this.save(row);
    }
    this.leftBehind.delete(id);
    if ((this.away.get(id) ?? 0) <= asOf) this.away.delete(id);
    if (this.marked.has(id) && !this.changed.has(id) && !this.away.has(id)) {
      this.sql.exec("DELETE FROM unsaved WHERE conversation_id = ?", id);
      this.marked.delete(id);
    }
  }

  /**
   * The changes made in memory, written in one transaction. A conversation that changed keeps
   * its mark for the next wait (it is likely to change again, and the mark need not be written
   * again); one that did not is unmarked. While marks remain, the next save is armed.
   */
  saveNow(): void {
    if (this.saveTimer !== null) clearTimeout(this.saveTimer);
    this.saveTimer = null;
    if (this.changed.size === 0 && this.marked.size === 0) return;
    const quiet = [...this.marked].filter((id) =>
      !this.changed.has(id) && !this.away.has(id) && !this.leftBehind.has(id)
    );
    const changed = [...this.changed];
    // The sets change only after the commit: a write that throws rolls the others back, and
    // every row and mark stays as it was, for the next save.
    this.storage.transactionSync(() => {
      for (const id of changed) {
        const row = this.rows.get(id);
        if (row) this.writeRow(row);
      }
      for (const id of quiet) this.sql.exec("DELETE FROM unsaved WHERE conversation_id = ?", id);
    });
    for (const id of changed) this.changed.delete(id);
    for (const id of quiet) this.marked.delete(id);
    if ([...this.marked].some((id) => !this.away.has(id) && !this.leftBehind.has(id))) {
      this.armSave();
    }
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
    row.mention_seqs = keptMentions(parseSeqs(row.mention_seqs), row.read_seq);
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
    if (!this.created) return [];
    if (this.recentAnswer?.limit === limit) return this.recentAnswer.list;
    // The order is SQL's: what is only in memory is saved first.
    this.saveNow();
    const list = this.sql.exec<ConversationRecord>(
      "SELECT * FROM conversations ORDER BY updated_at DESC LIMIT ?",
      limit,
    ).toArray().map(toSummary);
    this.recentAnswer = { limit, list };
    return list;
  }

  private row(conversationId: string): ConversationRecord | undefined {
    let row = this.rows.get(conversationId);
    if (!row && this.created) {
      row = this.sql.exec<ConversationRecord>(
        "SELECT * FROM conversations WHERE conversation_id = ?",
        conversationId,
      ).toArray()[0];
      if (row) this.rows.set(conversationId, row);
    }
    return row;
  }

  /**
   * Saves a delivered change now if the list is quiet, else keeps it in memory, marked as
   * unsaved, until the next save.
   */
  private changeLater(row: ConversationRecord): void {
    const id = row.conversation_id;
    this.recentAnswer = null;
    if (this.saveTimer === null && !this.marked.has(id)) {
      try {
        this.save(row);
      } catch (error) {
        // The row stays ahead of storage, as unsaved: a retried delivery finds its messages
        // already here (not pushed twice) and the next save writes it.
        this.rows.set(id, row);
        this.changed.add(id);
        this.armSave();
        throw error;
      }
      this.armSave();
      return;
    }
    this.rows.set(id, row);
    this.changed.add(id);
    this.mark(id);
    this.armSave();
  }

  /** Writes the conversation's id to `unsaved` (see the file comment), once. */
  private mark(conversationId: string): void {
    if (this.marked.has(conversationId)) return;
    this.create();
    this.sql.exec(
      "INSERT INTO unsaved (conversation_id) VALUES (?) ON CONFLICT DO NOTHING",
      conversationId,
    );
    this.marked.add(conversationId);
  }

  private armSave(): void {
    // Jittered (up to half again): the sessions of a big group start their waits with the same
    // message, and saving all at once would stall every other object's work.
    this.saveTimer ??= setTimeout(() => {
      try {
        this.saveNow();
      } catch (error) {
        // The marks stay: the next instance repairs these rows from their conversations.
        console.error(`UserSession ${this.userId}: saving the conversation list failed:`, error);
      }
    }, SAVE_DELAY_MS * (1 + Math.random() / 2));
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
      change_seq: 0,
      mention_seqs: null,
    };
    this.save(row);
    this.rows.set(row.conversation_id, row);
    const dropped = this.sql.exec<{ conversation_id: string }>(
      `DELETE FROM conversations WHERE conversation_id IN (
         SELECT conversation_id FROM conversations ORDER BY updated_at DESC, rowid DESC
         LIMIT -1 OFFSET ?) RETURNING conversation_id`,
      CONVERSATION_LIST_LIMIT,
    ).toArray();
    for (const { conversation_id } of dropped) {
      this.rows.delete(conversation_id);
      this.changed.delete(conversation_id);
    }
    return row;
  }

  private mergePosition(row: ConversationRecord, position: ConversationPosition): void {
    const lastMsg = parseLastMsg(row.last_msg);
    row.seq = Math.max(row.seq, position.seq);
    row.read_seq = Math.max(row.read_seq, position.read);
    // The conversation's copy is as new as any: it has every change up to position.changeSeq.
    if (position.lastMsg && (!lastMsg || position.lastMsg.seq >= lastMsg.seq)) {
      row.last_msg = JSON.stringify(position.lastMsg);
    }
    row.change_seq = Math.max(row.change_seq, position.changeSeq);
    // Up to position.seq the conversation knows best (a recall may have taken a mention away);
    // only what this row has beyond it is kept from here.
    const mentions = [
      ...parseSeqs(row.mention_seqs).filter((seq) => seq > position.seq),
      ...position.mentionSeqs,
    ];
    row.mention_seqs = keptMentions(mentions, row.read_seq);
  }

  /** Writes a row now (and it is no longer waiting for the next save). */
  private save(row: ConversationRecord): void {
    this.writeRow(row);
    this.changed.delete(row.conversation_id);
  }

  private writeRow(row: ConversationRecord): void {
    this.create();
    this.recentAnswer = null;
    this.rows.set(row.conversation_id, row);
    this.sql.exec(
      `INSERT INTO conversations (conversation_id, chat_type, target_id, seq, read_seq, is_show,
         last_msg, updated_at, change_seq, mention_seqs)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(conversation_id) DO UPDATE SET seq = excluded.seq,
         read_seq = excluded.read_seq, is_show = excluded.is_show, last_msg = excluded.last_msg,
         updated_at = excluded.updated_at, change_seq = excluded.change_seq,
         mention_seqs = excluded.mention_seqs`,
      row.conversation_id,
      row.chat_type,
      row.target_id,
      row.seq,
      row.read_seq,
      row.is_show,
      row.last_msg,
      row.updated_at,
      row.change_seq,
      row.mention_seqs,
    );
  }
}

/**
 * The stored last message; one stored before replies, mentions, recall and edit existed gets
 * their defaults, so every answer has the whole ChatLog.
 */
function parseLastMsg(text: string | null): ChatLog | null {
  if (!text) return null;
  return { status: 0, editTime: 0, replyTo: null, mentions: [], ...JSON.parse(text) } as ChatLog;
}

/** True when a stored CREATE statement has every column added since the first version. */
function hasEveryColumn(definition: string): boolean {
  return ADDED_COLUMNS.every(([name]) => new RegExp(`\\b${name}\\b`).test(definition));
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
    mentionUnread: parseSeqs(row.mention_seqs).filter((seq) => seq > row.read_seq).length,
    changeSeq: row.change_seq,
    lastMsg: parseLastMsg(row.last_msg),
  };
}
