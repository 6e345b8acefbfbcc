/**
 * The user's conversation list as stored in the UserSession's own SQLite: one `conversations`
 * row per listed conversation, and the `unsaved` table of conversations whose stored row may be
 * behind (list-marks.ts says which and why). Both tables are made by the first write, so a
 * session that only connects writes nothing; a list made by an earlier version gets the columns
 * added since when the session starts.
 */
import {
  type AddedColumn,
  addMissingColumns,
  columnsSql,
  tableDefinition,
} from "../storage-tables.ts";

/** Columns added after the first version: a list made before gets them when the session starts. */
const ADDED_COLUMNS: readonly AddedColumn[] = [
  // The last change (recall, edit) this row has seen: later ones are new.
  ["change_seq", "INTEGER NOT NULL DEFAULT 0"],
  // JSON array of the seqs of unread messages mentioning the user or all (newest first).
  ["mention_seqs", "TEXT"],
  // The user's own settings of the conversation (CONTRACT §12): 1 = on.
  ["muted", "INTEGER NOT NULL DEFAULT 0"],
  ["pinned", "INTEGER NOT NULL DEFAULT 0"],
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

/** One row of the list, as stored. */
export type ConversationRecord = {
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
  muted: number;
  pinned: number;
};

export class ListStorage {
  private readonly sql: SqlStorage;
  /** Whether the tables exist: made by the first write, so a session that connects writes none. */
  private created: boolean;

  constructor(private readonly storage: DurableObjectStorage) {
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
  }

  /** Runs `writes` in one transaction: all of them are stored, or none. */
  transaction(writes: () => void): void {
    this.storage.transactionSync(writes);
  }

  read(conversationId: string): ConversationRecord | undefined {
    if (!this.created) return undefined;
    return this.sql.exec<ConversationRecord>(
      "SELECT * FROM conversations WHERE conversation_id = ?",
      conversationId,
    ).toArray()[0];
  }

  /** The `limit` most recently active rows, newest first. */
  recent(limit: number): ConversationRecord[] {
    if (!this.created) return [];
    return this.sql.exec<ConversationRecord>(
      "SELECT * FROM conversations ORDER BY updated_at DESC LIMIT ?",
      limit,
    ).toArray();
  }

  write(row: ConversationRecord): void {
    this.create();
    this.sql.exec(
      `INSERT INTO conversations (conversation_id, chat_type, target_id, seq, read_seq, is_show,
         last_msg, updated_at, change_seq, mention_seqs, muted, pinned)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(conversation_id) DO UPDATE SET seq = excluded.seq,
         read_seq = excluded.read_seq, is_show = excluded.is_show, last_msg = excluded.last_msg,
         updated_at = excluded.updated_at, change_seq = excluded.change_seq,
         mention_seqs = excluded.mention_seqs, muted = excluded.muted, pinned = excluded.pinned`,
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
      row.muted,
      row.pinned,
    );
  }

  /** Deletes the rows beyond the `kept` most recently active; their ids. */
  dropBeyond(kept: number): string[] {
    if (!this.created) return [];
    return this.sql.exec<{ conversation_id: string }>(
      `DELETE FROM conversations WHERE conversation_id IN (
         SELECT conversation_id FROM conversations ORDER BY updated_at DESC, rowid DESC
         LIMIT -1 OFFSET ?) RETURNING conversation_id`,
      kept,
    ).toArray().map((row) => row.conversation_id);
  }

  /** The conversations in `unsaved`. */
  readMarks(): string[] {
    if (!this.created) return [];
    return this.sql.exec<{ conversation_id: string }>("SELECT conversation_id FROM unsaved")
      .toArray().map((row) => row.conversation_id);
  }

  addMark(conversationId: string): void {
    this.create();
    this.sql.exec(
      "INSERT INTO unsaved (conversation_id) VALUES (?) ON CONFLICT DO NOTHING",
      conversationId,
    );
  }

  deleteMark(conversationId: string): void {
    this.sql.exec("DELETE FROM unsaved WHERE conversation_id = ?", conversationId);
  }

  private create(): void {
    if (this.created) return;
    this.sql.exec(SCHEMA);
    this.created = true;
  }
}

/** True when a stored CREATE statement has every column added since the first version. */
function hasEveryColumn(definition: string): boolean {
  return ADDED_COLUMNS.every(([name]) => new RegExp(`\\b${name}\\b`).test(definition));
}
