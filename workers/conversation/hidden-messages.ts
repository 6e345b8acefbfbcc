/**
 * Delete for me: what each member hid from their own history — everything up to a seq (the
 * member's `hidden_up_to`) and single messages above it (`hidden`). Reads for a member who hid
 * anything filter in SQL; everyone else's read the log's newest messages from memory.
 */
import type { MemberTable } from "./members.ts";
import type { StoreTables } from "./store.ts";

export class HiddenMessages {
  /** Members with rows in `hidden` (loaded on first use). */
  private hidingMembers: Set<string> | null = null;

  constructor(private readonly tables: StoreTables, private readonly members: MemberTable) {}

  forget(): void {
    this.hidingMembers = null;
  }

  /** Hides messages from `userId`'s own history: these seqs, and everything up to `upToSeq`. */
  hide(userId: string, seqs: readonly number[], upToSeq: number): void {
    const row = this.members.member(userId);
    if (!row) return;
    if (upToSeq > row.hiddenUpTo) {
      this.members.setHiddenUpTo(userId, upToSeq);
      this.tables.sql.exec("DELETE FROM hidden WHERE user_id = ? AND seq <= ?", userId, upToSeq);
    }
    const above = seqs.filter((seq) => seq > Math.max(row.hiddenUpTo, upToSeq));
    if (above.length === 0) return;
    this.tables.sql.exec(
      `INSERT INTO hidden (user_id, seq) SELECT ?, value FROM json_each(?) WHERE true
       ON CONFLICT DO NOTHING`,
      userId,
      JSON.stringify(above),
    );
    this.hiding().add(userId);
  }

  private hiding(): Set<string> {
    this.hidingMembers ??= new Set(
      this.tables.sql.exec<{ user_id: string }>("SELECT DISTINCT user_id FROM hidden").toArray()
        .map((row) => row.user_id),
    );
    return this.hidingMembers;
  }

  /** True when `readerId` has hidden anything here (reads for them filter in SQL). */
  hidesAny(readerId: string | undefined): boolean {
    if (readerId === undefined || !this.tables.exists()) return false;
    return (this.members.member(readerId)?.hiddenUpTo ?? 0) > 0 || this.hiding().has(readerId);
  }

  /** A SQL condition (and its bindings) keeping only what `readerId` has not hidden. */
  visibleTo(readerId: string | undefined): [string, ...(string | number)[]] {
    if (!this.hidesAny(readerId)) return [""];
    const hiddenUpTo = this.members.member(readerId!)?.hiddenUpTo ?? 0;
    return [
      `AND seq > ? AND NOT EXISTS
         (SELECT 1 FROM hidden WHERE hidden.user_id = ? AND hidden.seq = messages.seq)`,
      hiddenUpTo,
      readerId!,
    ];
  }
}
