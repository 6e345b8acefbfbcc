/**
 * The Conversation object's SQLite tables and how a stored message row becomes a ChatLog. The
 * tables are created on the first entitled write (store.ts); an object created by an older
 * version gains the columns it lacks when it wakes (`upgradeSchema`), so stored conversations
 * keep working after a deploy.
 */
import { type ParsedConversationId, targetIdFor } from "../../shared/chat/conversation-id.ts";
import type { MType } from "../../shared/chat/message-content.ts";
import type { MessageChangeRecord } from "../../shared/chat/delivery.ts";
import type { ChatLog, ReplyTo } from "../../shared/chat/schemas.ts";
import type { ChatLogMedia } from "../../shared/media/schemas.ts";
import { type AddedColumn, addMissingColumns, columnsSql } from "../storage-tables.ts";

/**
 * Columns added after the first version, per table: [name, definition]. A new store creates them
 * with its tables; `upgradeSchema` adds them to a store made before.
 */
const ADDED_COLUMNS = {
  messages: [
    // 0 normal · 1 recalled.
    ["status", "INTEGER NOT NULL DEFAULT 0"],
    ["edit_time", "INTEGER NOT NULL DEFAULT 0"],
    // The ReplyTo as JSON, and its msg_id alone (indexed: a recall or edit updates the quotes).
    ["reply_to", "TEXT"],
    ["reply_msg_id", "TEXT"],
    // JSON array of user ids or ["all"]; NULL when the message mentions nobody.
    ["mentions", "TEXT"],
    // The change seq of the message's latest recall or edit (NULL: never changed), the log's
    // last seq when it happened (its place among the pushes) and who recalled it.
    ["change_seq", "INTEGER"],
    ["change_at", "INTEGER"],
    ["recall_by", "TEXT"],
    // JSON array of the request ids of the last few edits (a resent edit changes nothing).
    ["edit_keys", "TEXT"],
    // The message's ChatLog.media as JSON; NULL for a message without media (or recalled).
    ["media", "TEXT"],
  ],
  members: [
    ["role_level", "INTEGER NOT NULL DEFAULT 3"],
    ["mute_until", "INTEGER NOT NULL DEFAULT 0"],
    // Outbox watermark of changes, as delivered_seq is of messages.
    ["delivered_change", "INTEGER NOT NULL DEFAULT 0"],
    // Delete for me: everything up to here is hidden from this member (`hidden` has the rest).
    ["hidden_up_to", "INTEGER NOT NULL DEFAULT 0"],
  ],
} as const satisfies Record<string, readonly AddedColumn[]>;

export const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS messages (
  seq INTEGER PRIMARY KEY,
  msg_id TEXT NOT NULL UNIQUE,
  send_id TEXT NOT NULL,
  client_msg_id TEXT NOT NULL,
  m_type INTEGER NOT NULL,
  content TEXT NOT NULL,
  send_time INTEGER NOT NULL${columnsSql(ADDED_COLUMNS.messages)}
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
  retry_at INTEGER NOT NULL DEFAULT 0${columnsSql(ADDED_COLUMNS.members)}
);
CREATE TABLE IF NOT EXISTS pending_changes (event_id TEXT PRIMARY KEY, prepared_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS hidden (
  user_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  PRIMARY KEY (user_id, seq)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS messages_changes ON messages (change_seq) WHERE change_seq IS NOT NULL;
CREATE INDEX IF NOT EXISTS messages_replies ON messages (reply_msg_id) WHERE reply_msg_id IS NOT NULL;
CREATE TABLE IF NOT EXISTS media (
  media_id TEXT PRIMARY KEY,
  owner_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  mime TEXT NOT NULL,
  size INTEGER NOT NULL,
  name TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  msg_seq INTEGER,
  delete_at INTEGER
);
CREATE INDEX IF NOT EXISTS media_deadlines ON media (delete_at) WHERE delete_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS media_messages ON media (msg_seq) WHERE msg_seq IS NOT NULL;`;

/** Keys of the `meta` table: the membership cache's values (see membership.ts). */
export const META = {
  /** "1" while the two users of a single chat are friends. */
  friends: "friends",
  /** "1" while the group exists (not dissolved, not unknown). */
  groupExists: "groupExists",
  /** "1" while the group is muted: only its creator and managers may send. */
  muteAll: "muteAll",
  /** Single chat: the users (of the two) who have blocked the other, comma-separated. */
  blockers: "blockers",
  /** Unix ms of the last membership read from D1. */
  loadedAt: "loadedAt",
} as const;

/** The schema version `upgradeSchema` brings a store to (kept in `meta`). */
export const SCHEMA_VERSION = "4";

/** Adds the tables, columns and indexes a store made by an older version lacks. */
export function upgradeSchema(sql: SqlStorage): void {
  for (const [table, columns] of Object.entries(ADDED_COLUMNS)) {
    addMissingColumns(sql, table, columns);
  }
  // The tables and indexes that came later (the columns are there now).
  sql.exec(SCHEMA);
}

export type MemberRow = {
  userId: string;
  /** 1 = current member; 0 = left (quit, kicked, dissolved): history readable up to leftSeq. */
  active: number;
  leftSeq: number | null;
  readSeq: number;
  /** Outbox watermark: messages up to here have reached this member's UserSession. */
  deliveredSeq: number;
  /** Outbox watermark of changes: recalls and edits up to this change seq have reached it. */
  deliveredChange: number;
  /** 1 once the member's UserSession has this conversation in its list. */
  announced: number;
  failures: number;
  retryAt: number;
  /** Group role (1 creator · 2 manager · 3 member); 3 in single chats. */
  roleLevel: number;
  /** Unix ms until which the member may not send; 0 = not muted. */
  muteUntil: number;
  /** Delete for me: messages up to this seq are hidden from this member. */
  hiddenUpTo: number;
};

export const MEMBER_COLUMNS = `user_id AS userId, active, left_seq AS leftSeq,
  read_seq AS readSeq, delivered_seq AS deliveredSeq, delivered_change AS deliveredChange,
  announced, failures, retry_at AS retryAt, role_level AS roleLevel, mute_until AS muteUntil,
  hidden_up_to AS hiddenUpTo`;

export type MessageRecord = {
  seq: number;
  msg_id: string;
  send_id: string;
  m_type: number;
  content: string;
  send_time: number;
  status: number;
  edit_time: number;
  reply_to: string | null;
  mentions: string | null;
  change_seq: number | null;
  change_at: number | null;
  recall_by: string | null;
  edit_keys: string | null;
  media: string | null;
};

/** A recall or edit as the store keeps it: the message as it is now and the change's place. */
export type StoredChange = MessageChangeRecord;

export function toChatLog(conversation: ParsedConversationId, row: MessageRecord): ChatLog {
  const { conversationId, chatType } = conversation;
  return {
    msgId: row.msg_id,
    conversationId,
    chatType,
    sendId: row.send_id,
    // recvId as easy-chat has it: the other user in a single chat, the group in a group chat.
    recvId: targetIdFor(conversation, row.send_id),
    seq: row.seq,
    mType: row.m_type as MType,
    content: row.content,
    sendTime: row.send_time,
    status: row.status === 1 ? 1 : 0,
    editTime: row.edit_time,
    replyTo: row.reply_to === null ? null : JSON.parse(row.reply_to) as ReplyTo,
    mentions: row.mentions === null ? [] : JSON.parse(row.mentions) as string[],
    media: row.media === null ? null : JSON.parse(row.media) as ChatLogMedia,
  };
}

export function toStoredChange(
  conversation: ParsedConversationId,
  row: MessageRecord,
): StoredChange {
  return {
    changeSeq: row.change_seq ?? 0,
    at: row.change_at ?? row.seq,
    recallBy: row.recall_by ?? "",
    message: toChatLog(conversation, row),
  };
}
