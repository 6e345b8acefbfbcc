/**
 * A user's upload budgets (CONTRACT §11): uploads per hour (a sliding window of events) and bytes
 * per day (a sliding window of byte amounts), both in one RateLimiter object's SQLite, keyed
 * `media:<userId>`. One synchronous take covers both or neither, so a parallel burst is counted
 * exactly. An upload reserves its declared length (or its kind's largest size when it declares
 * none) before a byte is read, and settles to what was stored once it is done (0 for a refusal),
 * so the day's bytes can never be overrun by uploads in flight.
 */
import type { RateRule } from "../../shared/limits.ts";
import type { RateTake } from "../../shared/rate-limit.ts";
import { SlidingWindows } from "../sliding-windows.ts";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS byte_events (
  rule TEXT NOT NULL,
  at INTEGER NOT NULL,
  slot TEXT NOT NULL PRIMARY KEY,
  bytes INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS byte_events_rule_at ON byte_events (rule, at);`;

export class UploadBudget {
  private readonly windows: SlidingWindows;
  private ready = false;

  constructor(private readonly sql: SqlStorage) {
    this.windows = new SlidingWindows(sql);
  }

  /**
   * Takes one upload under `uploads` and reserves `bytes` under `bytesRule`, or neither: the
   * answer then says how many seconds until both have room.
   */
  take(uploads: RateRule, bytesRule: RateRule, bytes: number, now = Date.now()): RateTake {
    this.ensureSchema();
    this.sql.exec(
      "DELETE FROM byte_events WHERE rule = ? AND at <= ?",
      bytesRule.name,
      now - bytesRule.windowSeconds * 1000,
    );
    const wait = this.waitForBytes(bytesRule, bytes, now);
    if (wait > 0) return { ok: false, retryAfter: wait };
    const taken = this.windows.take([uploads], now);
    if (!taken.ok) return taken;
    this.sql.exec(
      "INSERT INTO byte_events (rule, at, slot, bytes) VALUES (?, ?, ?, ?)",
      bytesRule.name,
      now,
      taken.slot,
      bytes,
    );
    return taken;
  }

  /** An upload's reservation becomes what it stored (only ever smaller). */
  settle(slot: string, bytes: number): void {
    this.ensureSchema();
    this.sql.exec(
      "UPDATE byte_events SET bytes = MIN(bytes, ?) WHERE slot = ?",
      Math.max(0, bytes),
      slot,
    );
  }

  /** Empties both logs (the owner's alarm, once every event has left its window). */
  clear(): void {
    if (!this.ready && !hasByteEvents(this.sql)) return;
    this.sql.exec("DELETE FROM byte_events");
  }

  /** Seconds until `rule` has room for `bytes` more (0 = now). */
  private waitForBytes(rule: RateRule, bytes: number, now: number): number {
    const windowMs = rule.windowSeconds * 1000;
    const events = this.sql.exec<{ at: number; bytes: number }>(
      "SELECT at, bytes FROM byte_events WHERE rule = ? AND at > ? ORDER BY at",
      rule.name,
      now - windowMs,
    ).toArray();
    let used = events.reduce((sum, event) => sum + event.bytes, 0);
    if (used + bytes <= rule.limit) return 0;
    // The oldest reservations leave the window first; wait until enough of them have.
    for (const event of events) {
      used -= event.bytes;
      if (used + bytes <= rule.limit) {
        return Math.max(1, Math.ceil((event.at + windowMs - now) / 1000));
      }
    }
    return rule.windowSeconds;
  }

  private ensureSchema(): void {
    if (this.ready) return;
    this.sql.exec(SCHEMA);
    this.ready = true;
  }
}

function hasByteEvents(sql: SqlStorage): boolean {
  return sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'byte_events'")
    .toArray().length > 0;
}
