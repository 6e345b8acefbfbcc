/**
 * Sliding-window rate limits in a Durable Object's SQLite storage: an event log per rule, and one
 * synchronous take-or-refuse over several rules at once. Nothing is awaited between the count and
 * the insert, so a burst of calls to the same object is counted exactly: of N calls over a limit
 * of L, L take a slot and the rest are refused.
 */
import type { RateRule } from "../shared/limits.ts";
import type { RateTake } from "../shared/rate-limit.ts";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS rate_events (
  rule TEXT NOT NULL,
  at INTEGER NOT NULL,
  slot TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS rate_events_rule_at ON rate_events (rule, at);
CREATE TABLE IF NOT EXISTS rate_batches (
  rule TEXT NOT NULL,
  at INTEGER NOT NULL,
  slot TEXT NOT NULL,
  count INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS rate_batches_rule_at ON rate_batches (rule, at);`;

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
   * Takes `count` events of one rule under a single slot, all or none: for budgets counted in
   * many events at once (all the names of a sync frame). Such a take is one row with its count
   * (rate_batches); a rule is taken either this way or with `take`, never both.
   */
  takeMany(rule: RateRule, count: number, now = Date.now()): RateTake {
    this.ensureSchema();
    const windowMs = rule.windowSeconds * 1000;
    this.sql.exec("DELETE FROM rate_batches WHERE rule = ? AND at <= ?", rule.name, now - windowMs);
    const batches = this.sql.exec<{ at: number; count: number }>(
      "SELECT at, count FROM rate_batches WHERE rule = ? ORDER BY at",
      rule.name,
    ).toArray();
    let used = batches.reduce((sum, batch) => sum + batch.count, 0);
    if (rule.limit - used < count) {
      // The oldest batches must leave until `count` fit (a whole window if they never can).
      let freeAt = now + windowMs;
      for (const batch of count <= rule.limit ? batches : []) {
        used -= batch.count;
        if (rule.limit - used >= count) {
          freeAt = batch.at + windowMs;
          break;
        }
      }
      return { ok: false, retryAfter: Math.max(1, Math.ceil((freeAt - now) / 1000)) };
    }
    const slot = crypto.randomUUID();
    this.sql.exec(
      "INSERT INTO rate_batches (rule, at, slot, count) VALUES (?, ?, ?, ?)",
      rule.name,
      now,
      slot,
      count,
    );
    return { ok: true, slot };
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
