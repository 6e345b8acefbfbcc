/**
 * RateLimiter Durable Object: one instance per key (e.g. "login-phone:+861380000"), counting
 * events in a sliding window in its SQLite storage. An alarm empties the table once the newest
 * event has aged out, so idle keys keep no rows.
 */
import { DurableObject } from "cloudflare:workers";
import type { RateRule } from "../shared/limits.ts";
import type { RateLimiter as RateLimiterPort } from "../shared/rate-limit.ts";

export class RateLimiter extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS events (at INTEGER NOT NULL)");
  }

  /** Seconds until one more event is allowed under `rule` (0 = allowed now). */
  retryAfter(rule: RateRule): number {
    const now = Date.now();
    const windowStart = now - rule.windowSeconds * 1000;
    const rows = this.ctx.storage.sql.exec<{ at: number }>(
      "SELECT at FROM events WHERE at > ? ORDER BY at DESC LIMIT ?",
      windowStart,
      rule.limit,
    ).toArray();
    if (rows.length < rule.limit) return 0;
    // The oldest of the newest `limit` events must leave the window before another is allowed.
    const oldest = rows[rows.length - 1]!.at;
    return Math.max(1, Math.ceil((oldest + rule.windowSeconds * 1000 - now) / 1000));
  }

  /** Records one event now and returns retryAfter after it. */
  async record(rule: RateRule): Promise<number> {
    const now = Date.now();
    const sql = this.ctx.storage.sql;
    sql.exec("DELETE FROM events WHERE at <= ?", now - rule.windowSeconds * 1000);
    sql.exec("INSERT INTO events (at) VALUES (?)", now);
    await this.ctx.storage.setAlarm(now + rule.windowSeconds * 1000 + 1000);
    return this.retryAfter(rule);
  }

  async clear(): Promise<void> {
    this.ctx.storage.sql.exec("DELETE FROM events");
    await this.ctx.storage.deleteAlarm();
  }

  override alarm(): void {
    // Everything recorded has left its window by now; the table itself stays for the next event.
    this.ctx.storage.sql.exec("DELETE FROM events");
  }
}

/** The domain's RateLimiter port, backed by one RateLimiter object per key. */
export function durableRateLimiter(
  namespace: DurableObjectNamespace<RateLimiter>,
): RateLimiterPort {
  return {
    retryAfter: (key, rule) => namespace.getByName(key).retryAfter(rule),
    record: (key, rule) => namespace.getByName(key).record(rule),
    clear: (key) => namespace.getByName(key).clear(),
  };
}
