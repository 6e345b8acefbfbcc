/**
 * Sliding-window rate limits in a Durable Object's SQLite storage: an event log per rule, and one
 * synchronous take-or-refuse over several rules at once. Nothing is awaited between the count and
 * the insert, so a burst of calls to the same object is counted exactly: of N calls over a limit
 * of L, L take a slot and the rest are refused.
 */
import type { RateRule } from "../shared/limits.ts";
import type { RateTake } from "../shared/rate-limit.ts";

/** A take of several events: how many were granted under one slot, or the wait in seconds. */
export type RateTakeMany =
  | { ok: true; slot: string; granted: number }
  | { ok: false; retryAfter: number };

const SCHEMA = `
CREATE TABLE IF NOT EXISTS rate_events (
  rule TEXT NOT NULL,
  at INTEGER NOT NULL,
  slot TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS rate_events_rule_at ON rate_events (rule, at);`;

export class SlidingWindows {
  private ready = false;

  constructor(private readonly sql: SqlStorage) {}

  /**
   * Takes one slot under every rule, or none: when any rule is full, nothing is recorded and the
   * answer says how many seconds until that rule has room again. A take also forgets its rules'
   * events that have left their windows, so the log never holds more than the limits.
   */
  take(rules: readonly RateRule[], now = Date.now()): RateTake {
    this.ensureSchema();
    for (const rule of rules) this.forget(rule, now);
    let retryAfter = 0;
    for (const rule of rules) retryAfter = Math.max(retryAfter, this.waitFor(rule, now));
    if (retryAfter > 0) return { ok: false, retryAfter };
    const slot = crypto.randomUUID();
    for (const rule of rules) {
      this.sql.exec(
        "INSERT INTO rate_events (rule, at, slot) VALUES (?, ?, ?)",
        rule.name,
        now,
        slot,
      );
    }
    return { ok: true, slot };
  }

  /**
   * Takes up to `wanted` events of one rule under a single slot: as many as the window has room
   * for, and at least `least`, or none with the seconds until `least` fit. For budgets counted
   * in many events at once (all the names of a sync; a lease of reads, as many as there are).
   */
  takeUpTo(rule: RateRule, wanted: number, least = 1, now = Date.now()): RateTakeMany {
    this.ensureSchema();
    this.forget(rule, now);
    const times = this.sql.exec<{ at: number }>(
      "SELECT at FROM rate_events WHERE rule = ? ORDER BY at",
      rule.name,
    ).toArray().map((row) => row.at);
    const room = rule.limit - times.length;
    if (room < least || least > rule.limit) {
      // The oldest events must leave until `least` fit (a whole window if they never can).
      const leaving = least > rule.limit ? undefined : times[least - room - 1];
      const freeAt = leaving === undefined
        ? now + rule.windowSeconds * 1000
        : leaving + rule.windowSeconds * 1000;
      return { ok: false, retryAfter: Math.max(1, Math.ceil((freeAt - now) / 1000)) };
    }
    const granted = Math.min(wanted, room);
    const slot = crypto.randomUUID();
    for (let i = 0; i < granted; i += 1) {
      this.sql.exec(
        "INSERT INTO rate_events (rule, at, slot) VALUES (?, ?, ?)",
        rule.name,
        now,
        slot,
      );
    }
    return { ok: true, slot, granted };
  }

  /** Gives back `count` events of a slot taken with takeUpTo (fewer if some have expired). */
  giveBackSome(slot: string, count: number): void {
    this.ensureSchema();
    this.sql.exec(
      "DELETE FROM rate_events WHERE rowid IN (SELECT rowid FROM rate_events WHERE slot = ? LIMIT ?)",
      slot,
      count,
    );
  }

  /** Gives a taken slot back (a login that turned out right does not count as a failure). */
  giveBack(slot: string): void {
    this.ensureSchema();
    this.sql.exec("DELETE FROM rate_events WHERE slot = ?", slot);
  }

  /** Forgets `rule`'s events that have left its window. */
  private forget(rule: RateRule, now: number): void {
    this.sql.exec(
      "DELETE FROM rate_events WHERE rule = ? AND at <= ?",
      rule.name,
      now - rule.windowSeconds * 1000,
    );
  }

  /** Seconds until `rule` has room for one more event (0 = now). */
  private waitFor(rule: RateRule, now: number): number {
    const windowMs = rule.windowSeconds * 1000;
    const recent = this.sql.exec<{ at: number }>(
      "SELECT at FROM rate_events WHERE rule = ? AND at > ? ORDER BY at DESC LIMIT ?",
      rule.name,
      now - windowMs,
      rule.limit,
    ).toArray();
    if (recent.length < rule.limit) return 0;
    // The oldest of the newest `limit` events must leave the window first.
    const oldest = recent[recent.length - 1]!.at;
    return Math.max(1, Math.ceil((oldest + windowMs - now) / 1000));
  }

  /** The table is made on first use, so an object that never limits anything stores nothing. */
  private ensureSchema(): void {
    if (this.ready) return;
    this.sql.exec(SCHEMA);
    this.ready = true;
  }
}
