/**
 * Reactions (CONTRACT §13): one row per message, emoji and user — `active` 0 once taken back, so
 * the taking back is a change too — each stamped with the conversation's change seq of its last
 * toggle. A reaction travels like an edit: the outbox delivers it after the message it was made
 * after, a sync with `changes` replays it, and a client applies it in change order.
 */
import { CHAT_TYPE } from "../../shared/chat/conversation-id.ts";
import type { ReactionSummary } from "../../shared/chat/reaction-schemas.ts";
import { type ChatLog, MESSAGE_STATUS } from "../../shared/chat/schemas.ts";
import { ConflictError, NotFoundError } from "../../shared/errors.ts";
import { MAX_REACTION_EMOJI } from "../../shared/limits.ts";
import { hasTable } from "../storage-tables.ts";
import { assertGroupMember, readableUpTo } from "./membership.ts";
import { type MessageRecord, toStoredChange } from "./store-schema.ts";
import type { ConversationStore, StoredChange, StoreTables } from "./store.ts";

const REACTIONS_SCHEMA = `
CREATE TABLE IF NOT EXISTS reactions (
  seq INTEGER NOT NULL,
  emoji TEXT NOT NULL,
  user_id TEXT NOT NULL,
  active INTEGER NOT NULL,
  change_seq INTEGER NOT NULL,
  change_at INTEGER NOT NULL,
  PRIMARY KEY (seq, emoji, user_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS reactions_changes ON reactions (change_seq);`;

type ReactionChangeRow = MessageRecord & {
  r_emoji: string;
  r_user: string;
  r_active: number;
  r_change: number;
  r_at: number;
  r_count: number;
};

export class ReactionTable {
  constructor(private readonly tables: StoreTables) {}

  /** Creates the table in a store that lacks it (a new one, or one made by an older version). */
  ensure(): void {
    if (!hasTable(this.tables.sql, "reactions")) this.tables.sql.exec(REACTIONS_SCHEMA);
  }

  /** True while `userId` reacts to message `seq` with `emoji`. */
  has(seq: number, emoji: string, userId: string): boolean {
    return this.tables.sql.exec<{ n: number }>(
      "SELECT COUNT(*) AS n FROM reactions WHERE seq = ? AND emoji = ? AND user_id = ? AND active = 1",
      seq,
      emoji,
      userId,
    ).one().n > 0;
  }

  /** The distinct emoji message `seq` carries now. */
  emojiOf(seq: number): string[] {
    return this.tables.sql.exec<{ emoji: string }>(
      "SELECT DISTINCT emoji FROM reactions WHERE seq = ? AND active = 1",
      seq,
    ).toArray().map((row) => row.emoji);
  }

  /** Stores the toggle as change `changeSeq` made when the log ended at `at`. */
  set(seq: number, emoji: string, userId: string, on: boolean, changeSeq: number, at: number) {
    this.tables.sql.exec(
      `INSERT INTO reactions (seq, emoji, user_id, active, change_seq, change_at)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (seq, emoji, user_id) DO UPDATE SET active = excluded.active,
         change_seq = excluded.change_seq, change_at = excluded.change_at`,
      seq,
      emoji,
      userId,
      on ? 1 : 0,
      changeSeq,
      at,
    );
  }

  /** A recalled message keeps no reactions. */
  clear(seq: number): void {
    this.tables.sql.exec("DELETE FROM reactions WHERE seq = ?", seq);
  }

  /**
   * The reactions of the messages with seq in [from, to], per seq, each emoji in the order of
   * its oldest standing reaction, `me` for `readerId`.
   */
  summaries(from: number, to: number, readerId: string): Map<number, ReactionSummary[]> {
    const bySeq = new Map<number, ReactionSummary[]>();
    if (!this.tables.exists() || to < from) return bySeq;
    const rows = this.tables.sql.exec<{ seq: number; emoji: string; count: number; me: number }>(
      `SELECT seq, emoji, COUNT(*) AS count, MAX(user_id = ?) AS me FROM reactions
       WHERE seq BETWEEN ? AND ? AND active = 1 GROUP BY seq, emoji
       ORDER BY seq, MIN(change_seq)`,
      readerId,
      from,
      to,
    ).toArray();
    for (const row of rows) {
      const list = bySeq.get(row.seq) ?? [];
      list.push({ emoji: row.emoji, count: row.count, me: row.me === 1 });
      bySeq.set(row.seq, list);
    }
    return bySeq;
  }

  /** Reaction changes above `afterChange` (as ChangeLog.changesAfter filters them). */
  changesAfter(afterChange: number, limit: number, atMost: number, upToSeq: number) {
    return this.tables.sql.exec<ReactionChangeRow>(
      `SELECT messages.*, r.emoji AS r_emoji, r.user_id AS r_user, r.active AS r_active,
         r.change_seq AS r_change, r.change_at AS r_at,
         (SELECT COUNT(*) FROM reactions c WHERE c.seq = r.seq AND c.emoji = r.emoji
           AND c.active = 1) AS r_count
       FROM reactions r JOIN messages ON messages.seq = r.seq
       WHERE r.change_seq > ? AND r.change_at <= ? AND r.seq <= ?
       ORDER BY r.change_seq LIMIT ?`,
      afterChange,
      atMost,
      upToSeq,
      limit,
    ).toArray().map((row): StoredChange => ({
      ...toStoredChange(this.tables.conversation, row),
      changeSeq: row.r_change,
      at: row.r_at,
      reaction: {
        emoji: row.r_emoji,
        userId: row.r_user,
        on: row.r_active === 1,
        count: row.r_count,
      },
    }));
  }
}

/**
 * `userId` reacts to `msgId` with `emoji` (`on`) or takes it back: any member of a group (not a
 * former one), either user of a single chat; a message they may read and not recalled; at most
 * MAX_REACTION_EMOJI distinct emoji per message. A toggle that changes nothing answers with the
 * reaction as it stands and makes no change.
 */
export function react(
  store: ConversationStore,
  userId: string,
  request: { msgId: string; emoji: string; on: boolean },
): { change: StoredChange; fresh: boolean } {
  const { msgId, emoji, on } = request;
  const found = store.log.messageById(msgId);
  if (!found || found.message.seq > readableUpTo(store, userId)) {
    throw new NotFoundError(`msgId: no message ${msgId} in this conversation`);
  }
  if (store.conversation.chatType === CHAT_TYPE.group) assertGroupMember(store, userId);
  const { seq } = found.message;
  if (found.message.status === MESSAGE_STATUS.recalled) {
    throw new ConflictError("the message was recalled: it takes no reactions");
  }
  const { reactions, changes, log } = store;
  const standing = reactions.has(seq, emoji, userId);
  if (standing === on) {
    return { change: reactionChange(store, found, emoji, userId, on), fresh: false };
  }
  if (on) {
    const emojis = reactions.emojiOf(seq);
    if (!emojis.includes(emoji) && emojis.length >= MAX_REACTION_EMOJI) {
      throw new ConflictError(`a message carries at most ${MAX_REACTION_EMOJI} different emoji`);
    }
  }
  const changeSeq = store.transaction(() => {
    const next = changes.next();
    reactions.set(seq, emoji, userId, on, next, log.lastSeq());
    return next;
  });
  return {
    change: { ...reactionChange(store, found, emoji, userId, on), changeSeq },
    fresh: true,
  };
}

/** The reaction of `userId` with `emoji` as it stands, as a change record. */
function reactionChange(
  store: ConversationStore,
  found: StoredChange,
  emoji: string,
  userId: string,
  on: boolean,
): StoredChange {
  const row = store.sql.exec<{ change_seq: number; change_at: number }>(
    "SELECT change_seq, change_at FROM reactions WHERE seq = ? AND emoji = ? AND user_id = ?",
    found.message.seq,
    emoji,
    userId,
  ).toArray()[0];
  const count = store.sql.exec<{ n: number }>(
    "SELECT COUNT(*) AS n FROM reactions WHERE seq = ? AND emoji = ? AND active = 1",
    found.message.seq,
    emoji,
  ).one().n;
  return {
    ...found,
    changeSeq: row?.change_seq ?? 0,
    at: row?.change_at ?? found.message.seq,
    reaction: { emoji, userId, on, count },
  };
}

/** `messages` as `readerId` sees them: each with its reactions (`me` for the reader). */
export function withReactions(
  store: ConversationStore,
  readerId: string,
  messages: ChatLog[],
): ChatLog[] {
  if (messages.length === 0) return messages;
  const seqs = messages.map((message) => message.seq);
  const bySeq = store.reactions.summaries(Math.min(...seqs), Math.max(...seqs), readerId);
  return messages.map((message) => ({ ...message, reactions: bySeq.get(message.seq) ?? [] }));
}
