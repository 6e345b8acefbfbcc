/**
 * The user's conversation list, kept in the UserSession's own SQLite storage (list-storage.ts)
 * so that listing conversations (and `session.ready`) is one local read, not one call per
 * conversation.
 *
 * Each row holds the last seq this user's session has received and the user's read seq; since
 * `seq` runs without gaps and sending moves your own read to your message, every message after
 * `read` is someone else's: `unread = seq - read`.
 *
 * Deliveries change rows in memory (every read here sees them at once), mark the conversation
 * once per burst, and are saved together through a DeferredSave (deferred-save.ts), one
 * transaction per LIST_SAVE_DELAY_MS, not one per message. Every other change (a read, a setup,
 * show/hide) is written at once.
 *
 * The `unsaved` table lists the conversations whose stored row may be behind its conversation
 * (list-marks.ts: changed in memory, away, left by the previous instance). `behind()` lists the
 * ones to ask, and the session asks those conversations where it stands
 * (`Conversation.catchUpMember`, list-catch-up.ts) before `session.ready` and before a list is
 * answered, so both are exact at once.
 */
import { type ParsedConversationId, targetIdFor } from "../../shared/chat/conversation-id.ts";
import type { ConversationSummary } from "../../shared/chat/schemas.ts";
import type { ConversationPosition, DeliveryBatch } from "../../shared/chat/types.ts";
import { CONVERSATION_LIST_LIMIT } from "../../shared/limits.ts";
import { DeferredSave } from "../deferred-save.ts";
import { type BehindConversation, ListMarks } from "./list-marks.ts";
import {
  type ConversationSettings,
  inOrder,
  keptMentions,
  mergePosition,
  parseSeqs,
  type PushItem,
  type PushView,
  recordBatch,
  toSummary,
} from "./list-rows.ts";
import { type ConversationRecord, ListStorage } from "./list-storage.ts";

/**
 * How long delivered changes wait in memory so that one transaction saves many. Long, because
 * every commit holds the session's outgoing messages (its pushes included) until it is durable,
 * and the sessions of a big group all save for the same messages: at 1 s, 500 sessions' saves
 * held a 500-member group's pushes for seconds (bench calm 500 @ 2/s, to-last-member p99 3.4 s;
 * 0.39 s at 10 s). Every read sees memory, and a session that goes away with changes unsaved
 * catches up from their conversations before its list is read (list-marks.ts).
 */
export const LIST_SAVE_DELAY_MS = 10_000;

export class ConversationList {
  /** Rows read or changed since the object started; the marks say which are not written yet. */
  private readonly rows = new Map<string, ConversationRecord>();
  /** The last `recent` answer, until the list changes: a list read repeats far more than writes. */
  private recentAnswer: { limit: number; list: ConversationSummary[] } | null = null;
  private readonly storage: ListStorage;
  private readonly marks: ListMarks;
  private readonly saves: DeferredSave;

  /** `userId` is the list's owner: the session's user. */
  constructor(storage: DurableObjectStorage, private readonly userId: string) {
    this.storage = new ListStorage(storage);
    this.marks = new ListMarks(this.storage);
    this.saves = new DeferredSave(
      () => this.saveChanged(),
      LIST_SAVE_DELAY_MS,
      `UserSession ${userId}: the conversation list`,
    );
  }

  /** The conversations to ask where this user stands before the list is read. */
  behind(): BehindConversation[] {
    return this.marks.behind();
  }

  /**
   * A delivery found no socket: the conversation calls no more until asked, so the row is
   * marked before the delivery returns.
   */
  markAway(conversationId: string): void {
    this.marks.markAway(conversationId);
  }

  /**
   * Records messages and changes delivered (or synced) and returns the new ones as pushes, in
   * the order they happened (list-rows.ts `recordBatch`). `beforeSaving` gets the new ones once
   * the row is up to date in memory and before it is written: a push sent after a write waits
   * for that write's commit.
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
    const fresh = recordBatch(row, batch, this.userId, now);
    beforeSaving(fresh);
    this.saveDelivered(row);
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
    let row = this.row(conversation.conversationId);
    if (!row && position?.lastMsg) {
      // It left the list while the user was away (the list keeps the most recently active):
      // it comes back with what arrived meanwhile, if that is recent enough to be kept.
      row = this.insert(conversation, position.lastMsg.sendTime);
      if (!this.rows.has(conversation.conversationId)) row = undefined;
    }
    if (row && position) {
      if (position.seq > row.seq) {
        // What the deliveries it stands for would have done: something new arrived.
        row.is_show = 1;
        row.updated_at = position.lastMsg?.sendTime ?? Date.now();
      }
      mergePosition(row, position);
      this.save(row);
    }
    this.marks.caughtUp(conversation.conversationId, asOf);
  }

  /** Makes sure the conversation is in the list (setup/conversation) and returns its row. */
  open(
    conversation: ParsedConversationId,
    position: ConversationPosition,
    now = Date.now(),
  ): ConversationSummary {
    const row = this.row(conversation.conversationId) ?? this.insert(conversation, now);
    mergePosition(row, position);
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

  /**
   * The user's settings of a listed conversation (show/hide, mute, pin); false when it is not
   * listed.
   */
  setSettings(conversationId: string, settings: ConversationSettings): boolean {
    const row = this.row(conversationId);
    if (!row) return false;
    const flag = (on: boolean | undefined, was: number) => on === undefined ? was : on ? 1 : 0;
    row.is_show = flag(settings.isShow, row.is_show);
    row.muted = flag(settings.muted, row.muted);
    row.pinned = flag(settings.pinned, row.pinned);
    this.save(row);
    return true;
  }

  /** What a push about the conversation needs of its row; undefined when it is not listed. */
  pushView(conversationId: string): PushView | undefined {
    const row = this.row(conversationId);
    if (!row) return undefined;
    return {
      muted: row.muted === 1,
      seq: row.seq,
      read: row.read_seq,
      mentionSeqs: parseSeqs(row.mention_seqs),
      lastMsg: row.last_msg,
    };
  }

  /** The `limit` most recently active conversations, newest first. */
  recent(limit: number): ConversationSummary[] {
    if (this.recentAnswer?.limit === limit) return this.recentAnswer.list;
    // The order is SQL's: what is only in memory is saved first.
    if (this.marks.pending) this.saves.now();
    const list = this.storage.recent(limit).map(toSummary);
    this.recentAnswer = { limit, list };
    return list;
  }

  private row(conversationId: string): ConversationRecord | undefined {
    let row = this.rows.get(conversationId);
    if (!row) {
      row = this.storage.read(conversationId);
      if (row) this.rows.set(conversationId, row);
    }
    return row;
  }

  /**
   * A delivered change: kept in memory, marked as unsaved, until the next save. The mark is the
   * one write a burst of deliveries costs at once (the first marks, the rest find it marked):
   * the sessions of a big group all take the same message, and each commit holds its session's
   * pushes until it is durable.
   */
  private saveDelivered(row: ConversationRecord): void {
    this.recentAnswer = null;
    this.rows.set(row.conversation_id, row);
    this.marks.markChanged(row.conversation_id);
    this.saves.later();
  }

  /**
   * The changes made in memory, written in one transaction; a mark nothing keeps any more is
   * cleared with them. While marks remain that a save clears, the next save is armed.
   */
  private saveChanged(): void {
    if (!this.marks.pending) return;
    const next = this.marks.toSave();
    // The marks change only after the commit: a write that throws rolls the others back, and
    // every row and mark stays as it was, for the next save.
    this.storage.transaction(() => {
      for (const id of next.changed) {
        const row = this.rows.get(id);
        if (row) this.write(row);
      }
      for (const id of next.quiet) this.storage.deleteMark(id);
    });
    this.marks.committed(next);
    if (this.marks.waitingForSave) this.saves.later();
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
      muted: 0,
      pinned: 0,
    };
    // Which rows are the least recently active is SQL's answer: what is only in memory is
    // saved first.
    this.saves.now();
    this.save(row);
    for (const id of this.storage.dropBeyond(CONVERSATION_LIST_LIMIT)) {
      this.rows.delete(id);
      this.marks.saved(id);
    }
    return row;
  }

  /** Writes a row now (and it is no longer waiting for the next save). */
  private save(row: ConversationRecord): void {
    this.write(row);
    this.marks.saved(row.conversation_id);
  }

  private write(row: ConversationRecord): void {
    this.recentAnswer = null;
    this.rows.set(row.conversation_id, row);
    this.storage.write(row);
  }
}
