/**
 * Per conversation, the user's last push and its coalescing window, in the UserSession's SQLite
 * (a session without sockets may be evicted within the window): the seq that push showed (a
 * recall of it sends the replacing push) and until when no other push goes out. Made by the
 * first push; read once per conversation per wake.
 */

const SCHEMA = `
CREATE TABLE IF NOT EXISTS push_windows (
  conversation_id TEXT PRIMARY KEY,
  pushed_seq INTEGER NOT NULL,
  counted_seq INTEGER NOT NULL,
  until INTEGER NOT NULL
);`;

/** A conversation's last push: the seq it showed (0: none showing) and its window's end. */
export interface PushWindow {
  pushedSeq: number;
  /** Messages up to this seq were counted by a push (or passed over by a muted conversation). */
  countedSeq: number;
  /** Unix ms; 0 once the window's end was handled. */
  until: number;
}

export class PushWindows {
  private readonly windows = new Map<string, PushWindow | null>();
  private created = false;

  constructor(private readonly sql: SqlStorage) {}

  get(conversationId: string): PushWindow | null {
    let window = this.windows.get(conversationId);
    if (window === undefined) {
      window = this.hasTable()
        ? this.sql.exec<{ pushed_seq: number; counted_seq: number; until: number }>(
          "SELECT pushed_seq, counted_seq, until FROM push_windows WHERE conversation_id = ?",
          conversationId,
        ).toArray().map((row) => ({
          pushedSeq: row.pushed_seq,
          countedSeq: row.counted_seq,
          until: row.until,
        }))[0] ?? null
        : null;
      this.windows.set(conversationId, window);
    }
    return window;
  }

  set(conversationId: string, window: PushWindow): void {
    if (!this.hasTable()) this.sql.exec(SCHEMA);
    this.created = true;
    this.sql.exec(
      `INSERT INTO push_windows (conversation_id, pushed_seq, counted_seq, until)
       VALUES (?, ?, ?, ?)
       ON CONFLICT(conversation_id) DO UPDATE SET pushed_seq = excluded.pushed_seq,
         counted_seq = excluded.counted_seq, until = excluded.until`,
      conversationId,
      window.pushedSeq,
      window.countedSeq,
      window.until,
    );
    this.windows.set(conversationId, window);
  }

  /** Forgets every window (the user has no subscription left). */
  clear(): void {
    if (this.hasTable()) this.sql.exec("DELETE FROM push_windows");
    this.windows.clear();
  }

  private hasTable(): boolean {
    if (!this.created) {
      this.created = this.sql.exec<{ n: number }>(
        "SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'push_windows'",
      ).one().n > 0;
    }
    return this.created;
  }
}
