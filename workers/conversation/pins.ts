/**
 * Pinned messages (CONTRACT §13): one row per message ever pinned — `pinned` 0 once unpinned, so
 * the unpinning is a change too — stamped with the conversation's change seq of its last toggle.
 * A pin travels like an edit (change seq, outbox, sync). A recalled message is unpinned in the
 * recall's transaction.
 */
import { CHAT_TYPE } from "../../shared/chat/conversation-id.ts";
import { type ChatLog, MESSAGE_STATUS } from "../../shared/chat/schemas.ts";
import { ConflictError, ForbiddenError, NotFoundError } from "../../shared/errors.ts";
import { MAX_PINS } from "../../shared/limits.ts";
import { hasTable } from "../storage-tables.ts";
import { isGroupManager, readableUpTo } from "./membership.ts";
import { type MessageRecord, toChatLog, toStoredChange } from "./store-schema.ts";
import type { ConversationStore, StoredChange, StoreTables } from "./store.ts";

const PINS_SCHEMA = `
CREATE TABLE IF NOT EXISTS pins (
  seq INTEGER PRIMARY KEY,
  pinned INTEGER NOT NULL,
  by_user TEXT NOT NULL,
  pinned_at INTEGER NOT NULL,
  change_seq INTEGER NOT NULL,
  change_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS pins_changes ON pins (change_seq);`;

type PinChangeRow = MessageRecord & {
  p_pinned: number;
  p_by: string;
  p_change: number;
  p_at: number;
};

const PIN_CHANGE_COLUMNS = `messages.*, p.pinned AS p_pinned, p.by_user AS p_by,
  p.change_seq AS p_change, p.change_at AS p_at`;

export class PinTable {
  constructor(private readonly tables: StoreTables) {}

  ensure(): void {
    if (!hasTable(this.tables.sql, "pins")) this.tables.sql.exec(PINS_SCHEMA);
  }

  isPinned(seq: number): boolean {
    return this.tables.sql.exec<{ n: number }>(
      "SELECT COUNT(*) AS n FROM pins WHERE seq = ? AND pinned = 1",
      seq,
    ).one().n > 0;
  }

  pinnedCount(): number {
    return this.tables.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM pins WHERE pinned = 1")
      .one().n;
  }

  /** Stores the pin or unpin as change `changeSeq` made when the log ended at `at`. */
  set(seq: number, pinned: boolean, by: string, now: number, changeSeq: number, at: number) {
    this.tables.sql.exec(
      `INSERT INTO pins (seq, pinned, by_user, pinned_at, change_seq, change_at)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (seq) DO UPDATE SET pinned = excluded.pinned, by_user = excluded.by_user,
         pinned_at = CASE WHEN excluded.pinned = 1 THEN excluded.pinned_at ELSE pins.pinned_at END,
         change_seq = excluded.change_seq, change_at = excluded.change_at`,
      seq,
      pinned ? 1 : 0,
      by,
      now,
      changeSeq,
      at,
    );
  }

  /** The pinned messages up to `upToSeq`, newest pin first; `visible` leaves out the hidden. */
  pinnedMessages(upToSeq: number, visible: [string, ...(string | number)[]]): ChatLog[] {
    if (!this.tables.exists()) return [];
    const [filter, ...bindings] = visible;
    const order = this.tables.sql.exec<{ seq: number }>(
      "SELECT seq FROM pins WHERE pinned = 1 ORDER BY pinned_at DESC, seq DESC",
    ).toArray().map((row) => row.seq);
    const rows = this.tables.sql.exec<MessageRecord>(
      `SELECT * FROM messages WHERE seq IN (SELECT seq FROM pins WHERE pinned = 1) AND seq <= ?
       ${filter}`,
      upToSeq,
      ...bindings,
    ).toArray();
    const bySeq = new Map(rows.map((row) => [row.seq, row]));
    return order.flatMap((seq) => {
      const row = bySeq.get(seq);
      return row ? [toChatLog(this.tables.conversation, row)] : [];
    });
  }

  /** The pin of message `seq` as it stands, as a change record (null: never pinned). */
  changeOf(seq: number): StoredChange | null {
    const row = this.tables.sql.exec<PinChangeRow>(
      `SELECT ${PIN_CHANGE_COLUMNS} FROM pins p JOIN messages ON messages.seq = p.seq
       WHERE p.seq = ?`,
      seq,
    ).toArray()[0];
    return row ? this.toChange(row) : null;
  }

  /** Pin changes above `afterChange` (as ChangeLog.changesAfter filters them). */
  changesAfter(afterChange: number, limit: number, atMost: number, upToSeq: number) {
    return this.tables.sql.exec<PinChangeRow>(
      `SELECT ${PIN_CHANGE_COLUMNS} FROM pins p JOIN messages ON messages.seq = p.seq
       WHERE p.change_seq > ? AND p.change_at <= ? AND p.seq <= ?
       ORDER BY p.change_seq LIMIT ?`,
      afterChange,
      atMost,
      upToSeq,
      limit,
    ).toArray().map((row) => this.toChange(row));
  }

  private toChange(row: PinChangeRow): StoredChange {
    return {
      ...toStoredChange(this.tables.conversation, row),
      changeSeq: row.p_change,
      at: row.p_at,
      pin: { pinned: row.p_pinned === 1, by: row.p_by },
    };
  }
}

/**
 * Pins (`pinned`) or unpins `msgId` as `userId`: either user of a single chat, the creator and
 * managers of a group; a message they may read, not recalled; at most MAX_PINS pinned at once
 * (409). Pinning what is pinned (or unpinning what is not) answers as it stands, changing nothing.
 */
export function pin(
  store: ConversationStore,
  userId: string,
  msgId: string,
  pinned: boolean,
  now = Date.now(),
): { change: StoredChange; fresh: boolean } {
  const found = store.log.messageById(msgId);
  if (!found || found.message.seq > readableUpTo(store, userId)) {
    throw new NotFoundError(`msgId: no message ${msgId} in this conversation`);
  }
  if (store.conversation.chatType === CHAT_TYPE.group && !isGroupManager(store, userId)) {
    throw new ForbiddenError("only the group's creator and managers may pin messages");
  }
  const { seq } = found.message;
  const { pins, changes, log } = store;
  if (pins.isPinned(seq) === pinned) {
    const standing = pins.changeOf(seq);
    if (standing) return { change: standing, fresh: false };
    return { change: { ...found, changeSeq: 0, pin: { pinned: false, by: userId } }, fresh: false };
  }
  if (pinned) {
    if (found.message.status === MESSAGE_STATUS.recalled) {
      throw new ConflictError("the message was recalled: it cannot be pinned");
    }
    if (pins.pinnedCount() >= MAX_PINS) {
      throw new ConflictError(`at most ${MAX_PINS} messages are pinned at once: unpin one first`);
    }
  }
  store.transaction(() => pins.set(seq, pinned, userId, now, changes.next(), log.lastSeq()));
  return { change: pins.changeOf(seq)!, fresh: true };
}

/**
 * In the transaction of a recall of `seq` by `recallBy`: a pinned message is unpinned (a pin
 * change of its own, after the recall's) and its reactions go.
 */
export function afterRecall(store: ConversationStore, seq: number, recallBy: string): void {
  store.reactions.clear(seq);
  if (store.pins.isPinned(seq)) {
    store.pins.set(seq, false, recallBy, Date.now(), store.changes.next(), store.log.lastSeq());
  }
}
