/**
 * RateLimiter Durable Object: one instance per key (e.g. "login-phone:+861380000"), holding that
 * key's sliding windows (sliding-windows.ts). Every call is one synchronous take-or-refuse, so a
 * parallel burst on one key is counted exactly. An alarm empties the log once every event has
 * left its window, so idle keys keep no rows.
 */
import { DurableObject } from "cloudflare:workers";
import type { RateRule } from "../shared/limits.ts";
import type { RateLimiter as RateLimiterPort, RateTake } from "../shared/rate-limit.ts";
import { SlidingWindows } from "./sliding-windows.ts";
import { UploadBudget } from "./media/upload-budget.ts";

export class RateLimiter extends DurableObject<Env> {
  private readonly windows = new SlidingWindows(this.ctx.storage.sql);
  private readonly uploads = new UploadBudget(this.ctx.storage.sql);

  /** Takes one slot under every rule, or none; see SlidingWindows.take. */
  async take(rules: RateRule[]): Promise<RateTake> {
    const now = Date.now();
    const taken = this.windows.take(rules, now);
    // Every event is at most `now`: once the longest window has passed, the log is empty.
    const longest = Math.max(...rules.map((rule) => rule.windowSeconds * 1000));
    if (taken.ok) await this.cleanUpAfter(now + longest);
    return taken;
  }

  giveBack(slot: string): void {
    this.windows.giveBack(slot);
  }

  /** Takes an upload and reserves its bytes, or neither; see UploadBudget.take. */
  async takeUpload(uploads: RateRule, bytesRule: RateRule, bytes: number): Promise<RateTake> {
    const now = Date.now();
    const taken = this.uploads.take(uploads, bytesRule, bytes, now);
    const longest = Math.max(uploads.windowSeconds, bytesRule.windowSeconds) * 1000;
    if (taken.ok) await this.cleanUpAfter(now + longest);
    return taken;
  }

  /** An upload's reserved bytes become the bytes it stored. */
  settleUpload(slot: string, bytes: number): void {
    this.uploads.settle(slot, bytes);
  }

  override alarm(): void {
    // Every event recorded has left its window by now (later ones moved the alarm later).
    this.ctx.storage.sql.exec("DELETE FROM rate_events");
    this.uploads.clear();
  }

  private async cleanUpAfter(at: number): Promise<void> {
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current < at) await this.ctx.storage.setAlarm(at + 1000);
  }
}

/** The domain's RateLimiter port, backed by one RateLimiter object per key. */
export function durableRateLimiter(
  namespace: DurableObjectNamespace<RateLimiter>,
): RateLimiterPort {
  return {
    take: (key, rules) => namespace.getByName(key).take([...rules]),
    giveBack: (key, slot) => namespace.getByName(key).giveBack(slot),
  };
}
