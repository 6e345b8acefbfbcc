/**
 * The Conversation's members: who is current (and since which seq, or until which one they
 * left), their read position, role and mute, what they hid, and their delivery watermarks (the
 * outbox's). Mirrored in memory, loaded once per wake and written through — but for the
 * watermarks, whose moves `markDelivered` keeps in memory until `saveDeliveries` writes them in
 * one statement (a watermark lost with the object only means a redelivery, which the member's
 * session drops by seq).
 */
import { MEMBER_COLUMNS, type MemberRow } from "./store-schema.ts";
import type { StoreTables } from "./store.ts";

export class MemberTable {
  private rows: Map<string, MemberRow> | null = null;
  /** Members whose delivery watermark moved in memory and is not saved yet. */
  private readonly unsavedDeliveries = new Set<string>();

  constructor(private readonly tables: StoreTables) {}

  /** Drops the mirror (a rolled-back transaction, an upgrade): it is loaded again. */
  forget(): void {
    this.rows = null;
    this.unsavedDeliveries.clear();
  }

  /** A member's row (a copy: change it through the methods below). */
  member(userId: string): MemberRow | undefined {
    const row = this.memberMap().get(userId);
    return row ? { ...row } : undefined;
  }

  /** Every member's row, current or former (copies). */
  all(): MemberRow[] {
    return [...this.memberMap().values()].map((row) => ({ ...row }));
  }

  activeMemberIds(): string[] {
    const ids: string[] = [];
    for (const row of this.memberMap().values()) if (row.active) ids.push(row.userId);
    return ids;
  }

  /**
   * Makes `userId` a current member. A newcomer (or a returning member) starts at the current
   * seq and `lastChange`: earlier messages are history to read, not pushes to receive. With
   * `announce`, the member's session is told about the conversation before its next message
   * (group joins).
   */
  activateMember(userId: string, seq: number, lastChange: number, announce = true): void {
    const row = this.memberMap().get(userId);
    if (row?.active) return;
    this.saveMember({
      userId,
      active: 1,
      leftSeq: null,
      readSeq: Math.max(row?.readSeq ?? 0, seq),
      deliveredSeq: Math.max(row?.deliveredSeq ?? 0, seq),
      deliveredChange: Math.max(row?.deliveredChange ?? 0, lastChange),
      announced: row || announce ? 0 : 1,
      failures: 0,
      retryAt: 0,
      roleLevel: row?.roleLevel ?? 3,
      muteUntil: row?.muteUntil ?? 0,
      hiddenUpTo: row?.hiddenUpTo ?? 0,
    });
  }

  /** Records a member's group role and mute as D1 has them. */
  setMemberRights(userId: string, roleLevel: number, muteUntil: number): void {
    const row = this.memberMap().get(userId);
    if (row && (row.roleLevel !== roleLevel || row.muteUntil !== muteUntil)) {
      this.saveMember({ ...row, roleLevel, muteUntil });
    }
  }

  /** Ends `userId`'s membership at `seq`: no more sends or pushes, history up to `seq`. */
  deactivateMember(userId: string, seq: number): void {
    const row = this.memberMap().get(userId);
    if (row?.active) this.saveMember({ ...row, active: 0, leftSeq: seq });
  }

  /** Moves a member's read position forward (never back) to at most `seq`. */
  advanceRead(userId: string, seq: number): number {
    const row = this.memberMap().get(userId);
    if (!row) return 0;
    if (seq > row.readSeq) this.saveMember({ ...row, readSeq: seq });
    return Math.max(row.readSeq, seq);
  }

  /**
   * Records a successful delivery up to `seq` and change `change` (and that it announced, when
   * it did) in memory; `saveDeliveries` writes it.
   */
  markDelivered(userId: string, seq: number, change: number, announced: boolean): void {
    const row = this.memberMap().get(userId);
    if (!row) return;
    row.deliveredSeq = Math.max(row.deliveredSeq, seq);
    row.deliveredChange = Math.max(row.deliveredChange, change);
    row.announced = Math.max(row.announced, announced ? 1 : 0);
    row.failures = 0;
    row.retryAt = 0;
    this.unsavedDeliveries.add(userId);
  }

  /**
   * Writes the watermarks `markDelivered` moved since the last save, in one statement; false
   * when there was nothing to write.
   */
  saveDeliveries(): boolean {
    if (this.unsavedDeliveries.size === 0) return false;
    const rows = [...this.unsavedDeliveries].flatMap((id) => this.memberMap().get(id) ?? []);
    this.unsavedDeliveries.clear();
    this.tables.sql.exec(
      `UPDATE members SET delivered_seq = MAX(members.delivered_seq, d.seq),
         delivered_change = MAX(members.delivered_change, d.change),
         announced = MAX(members.announced, d.done), failures = 0, retry_at = 0
       FROM (SELECT value ->> '$[0]' AS id, value ->> '$[1]' AS seq, value ->> '$[2]' AS done,
               value ->> '$[3]' AS change
             FROM json_each(?)) AS d
       WHERE members.user_id = d.id`,
      JSON.stringify(
        rows.map((row) => [row.userId, row.deliveredSeq, row.announced, row.deliveredChange]),
      ),
    );
    return true;
  }

  /** Records a failed delivery and when to try again. */
  markDeliveryFailed(userId: string, retryAt: number): void {
    const row = this.memberMap().get(userId);
    if (row) this.saveMember({ ...row, failures: row.failures + 1, retryAt });
  }

  /** Active members whose session is behind the log or its changes, or not announced yet. */
  membersAwaitingDelivery(lastSeq: number, lastChange: number): MemberRow[] {
    return this.all().filter((row) => row.active && isBehind(row, lastSeq, lastChange));
  }

  private memberMap(): Map<string, MemberRow> {
    if (!this.rows) {
      const rows = this.tables.exists()
        ? this.tables.sql.exec<MemberRow>(`SELECT ${MEMBER_COLUMNS} FROM members`).toArray()
        : [];
      this.rows = new Map(rows.map((row) => [row.userId, row]));
    }
    return this.rows;
  }

  /** Writes a member's whole row (its watermarks included) and mirrors it. */
  private saveMember(row: MemberRow): void {
    this.tables.sql.exec(
      `INSERT INTO members (user_id, active, left_seq, read_seq, delivered_seq, delivered_change,
         announced, failures, retry_at, role_level, mute_until, hidden_up_to)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(user_id) DO UPDATE SET active = excluded.active, left_seq = excluded.left_seq,
         read_seq = excluded.read_seq, delivered_seq = excluded.delivered_seq,
         delivered_change = excluded.delivered_change, announced = excluded.announced,
         failures = excluded.failures, retry_at = excluded.retry_at,
         role_level = excluded.role_level, mute_until = excluded.mute_until,
         hidden_up_to = excluded.hidden_up_to`,
      row.userId,
      row.active,
      row.leftSeq,
      row.readSeq,
      row.deliveredSeq,
      row.deliveredChange,
      row.announced,
      row.failures,
      row.retryAt,
      row.roleLevel,
      row.muteUntil,
      row.hiddenUpTo,
    );
    this.memberMap().set(row.userId, row);
    this.unsavedDeliveries.delete(row.userId);
  }

  /** Hides everything up to `upToSeq` from the member's own history (delete for me). */
  setHiddenUpTo(userId: string, upToSeq: number): void {
    const row = this.memberMap().get(userId);
    if (row && upToSeq > row.hiddenUpTo) this.saveMember({ ...row, hiddenUpTo: upToSeq });
  }
}

/** True when a member's session lacks messages, changes, or the conversation itself. */
export function isBehind(row: MemberRow, lastSeq: number, lastChange: number): boolean {
  return row.deliveredSeq < lastSeq || row.deliveredChange < lastChange || row.announced === 0;
}
