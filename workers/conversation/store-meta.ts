/**
 * The Conversation's `meta` values (whether the pair are friends, whether the group exists, when
 * membership was last read, …) and the membership changes announced but not yet settled
 * (`pending_changes`, see membership.ts). Both are mirrored in memory, loaded on first use.
 */
import type { StoreTables } from "./store.ts";

export class ConversationMeta {
  private values: Map<string, string> | null = null;
  private pending: Set<string> | null = null;

  constructor(private readonly tables: StoreTables) {}

  /** Drops the mirrors (a rolled-back transaction): they are loaded again from the tables. */
  forget(): void {
    this.values = null;
    this.pending = null;
  }

  get(key: string): string | undefined {
    if (!this.tables.exists()) return undefined;
    if (!this.values) {
      const rows = this.tables.sql.exec<{ key: string; value: string }>(
        "SELECT key, value FROM meta",
      );
      this.values = new Map(rows.toArray().map((row) => [row.key, row.value]));
    }
    return this.values.get(key);
  }

  set(key: string, value: string): void {
    if (this.get(key) === value) return;
    this.tables.sql.exec(
      "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
      key,
      value,
    );
    this.values?.set(key, value);
  }

  /** Records a membership change announced before its D1 write (see membership.ts). */
  addPendingChange(eventId: string, preparedAt: number): void {
    this.tables.sql.exec(
      "INSERT INTO pending_changes (event_id, prepared_at) VALUES (?, ?) ON CONFLICT DO NOTHING",
      eventId,
      preparedAt,
    );
    this.pendingChanges().add(eventId);
  }

  hasPendingChange(eventId: string): boolean {
    return this.tables.exists() && this.pendingChanges().has(eventId);
  }

  hasPendingChanges(): boolean {
    return this.tables.exists() && this.pendingChanges().size > 0;
  }

  /** Forgets one pending change (its event arrived). */
  settleChange(eventId: string): void {
    this.tables.sql.exec("DELETE FROM pending_changes WHERE event_id = ?", eventId);
    this.pendingChanges().delete(eventId);
  }

  /** Forgets pending changes prepared before `time` (a D1 read is known to include them). */
  settleChangesPreparedBefore(time: number): void {
    const settled = this.tables.sql.exec<{ event_id: string }>(
      "DELETE FROM pending_changes WHERE prepared_at < ? RETURNING event_id",
      time,
    ).toArray();
    for (const row of settled) this.pendingChanges().delete(row.event_id);
  }

  private pendingChanges(): Set<string> {
    this.pending ??= new Set(
      this.tables.sql.exec<{ event_id: string }>("SELECT event_id FROM pending_changes").toArray()
        .map((row) => row.event_id),
    );
    return this.pending;
  }
}
