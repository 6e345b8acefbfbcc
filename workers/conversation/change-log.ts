/**
 * Recalls and edits in the message log: each is the conversation's next change seq (kept in
 * `meta`), stored on the message row with the log's last seq when it happened (its place among
 * the pushes); quotes of a changed message follow it. Reactions and pins take their change seqs
 * from here too and keep them in their own tables (the `sources` listed with these).
 */
import { previewOf } from "../../shared/chat/preview.ts";
import type { MessageLog } from "./message-log.ts";
import type { ConversationMeta } from "./store-meta.ts";
import { type MessageRecord, type StoredChange, toStoredChange } from "./store-schema.ts";
import type { StoreTables } from "./store.ts";

/** The conversation's last change seq (recalls and edits), as a string in `meta`. */
const META_LAST_CHANGE = "lastChange";

/**
 * Request ids of a message's edits kept to recognise a resent edit: a client's outbox resends
 * only what is still unacked, so a few suffice.
 */
const EDIT_KEYS_KEPT = 8;

/** Changes kept in a table of their own (reactions, pins), numbered by this log. */
export interface ChangeSource {
  changesAfter(afterChange: number, limit: number, atMost: number, upToSeq: number): StoredChange[];
}

export class ChangeLog {
  constructor(
    private readonly tables: StoreTables,
    private readonly meta: ConversationMeta,
    private readonly log: MessageLog,
    private readonly sources: readonly ChangeSource[] = [],
  ) {}

  /** The last change seq: how many recalls and edits this conversation has had. */
  lastChange(): number {
    return Number(this.meta.get(META_LAST_CHANGE) ?? 0);
  }

  /**
   * Recalls message `seq` (status 1, content and mentions cleared, quotes of it blanked) as the
   * next change; the caller wraps this in `transaction`.
   */
  recall(seq: number, recallBy: string): StoredChange {
    const changeSeq = this.nextChange();
    this.tables.sql.exec(
      `UPDATE messages SET status = 1, content = '', mentions = NULL, media = NULL, recall_by = ?,
         change_seq = ?, change_at = ? WHERE seq = ?`,
      recallBy,
      changeSeq,
      this.log.lastSeq(),
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
    this.tables.sql.exec(
      `UPDATE messages SET content = ?, edit_time = ?, change_seq = ?, change_at = ?, edit_keys = ?
       WHERE seq = ?`,
      content,
      editTime,
      changeSeq,
      this.log.lastSeq(),
      JSON.stringify(keys.slice(-EDIT_KEYS_KEPT)),
      seq,
    );
    return this.afterChange(seq, previewOf(content));
  }

  /** The request ids of message `seq`'s last edits, oldest first. */
  editKeys(seq: number): string[] {
    const row = this.tables.sql.exec<{ edit_keys: string | null }>(
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
    if (!this.tables.exists() || afterChange >= this.lastChange()) return [];
    const atMost = options.atMost ?? Number.MAX_SAFE_INTEGER;
    const upToSeq = options.upToSeq ?? Number.MAX_SAFE_INTEGER;
    const ofMessages = this.tables.sql.exec<MessageRecord>(
      `SELECT * FROM messages WHERE change_seq > ? AND change_at <= ? AND seq <= ?
       ORDER BY change_seq LIMIT ?`,
      afterChange,
      atMost,
      upToSeq,
      limit,
    ).toArray().map((row) => toStoredChange(this.tables.conversation, row));
    if (this.sources.length === 0) return ofMessages;
    // Each source is in change order: the first `limit` of them all, in change order.
    const others = this.sources.flatMap((source) =>
      source.changesAfter(afterChange, limit, atMost, upToSeq)
    );
    return [...ofMessages, ...others].sort((a, b) => a.changeSeq - b.changeSeq).slice(0, limit);
  }

  /** Takes the next change seq (a reaction, a pin); the caller wraps this in `transaction`. */
  next(): number {
    return this.nextChange();
  }

  private nextChange(): number {
    const changeSeq = this.lastChange() + 1;
    this.meta.set(META_LAST_CHANGE, String(changeSeq));
    return changeSeq;
  }

  /**
   * After a recall or edit of `seq`: the quotes of it get `preview`, the mirrors follow, and the
   * message is returned as it is now.
   */
  private afterChange(seq: number, preview: string): StoredChange {
    const row = this.tables.sql.exec<MessageRecord>("SELECT * FROM messages WHERE seq = ?", seq)
      .one();
    this.tables.sql.exec(
      `UPDATE messages SET reply_to = json_set(reply_to, '$.preview', ?) WHERE reply_msg_id = ?`,
      preview,
      row.msg_id,
    );
    const changed = toStoredChange(this.tables.conversation, row);
    this.log.rewriteRecent((message) => {
      if (message.seq === seq) return changed.message;
      if (message.replyTo?.msgId === row.msg_id) {
        return { ...message, replyTo: { ...message.replyTo, preview } };
      }
      return message;
    });
    return changed;
  }
}
