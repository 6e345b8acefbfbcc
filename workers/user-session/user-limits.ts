/**
 * The user's own rate limits (CONTRACT §9), held by the user's UserSession so that every device
 * and the HTTP routes count together:
 * - sliding windows (writes, friend requests, groups, presence, find, upgrades, synced
 *   conversations) in the session's SQLite via
 *   SlidingWindows: durable, exact under bursts (take is synchronous), and pruned on every take, so
 *   at most the sum of the rules' limits is stored. The session is chosen over a RateLimiter
 *   object keyed `user:<id>` because the HTTP routes reach it anyway to check the token's state,
 *   and the socket side takes its slots without any RPC at all.
 * - the message bucket in memory: an evicted or hibernated object's bucket restarts full, which
 *   lets no one exceed the limit, because an object is only evicted after seconds of idleness,
 *   longer than the MESSAGE_BURST / MESSAGE_RATE_PER_SECOND = 2 s a full refill needs.
 * - typing: the last relay per conversation in memory, for the same reason (2 s window).
 */
import {
  MESSAGE_BURST,
  MESSAGE_RATE_PER_SECOND,
  type RateRule,
  TYPING_RELAY_INTERVAL_MS,
} from "../../shared/limits.ts";
import { rateLimited, type RateTake } from "../../shared/rate-limit.ts";
import { SlidingWindows } from "../sliding-windows.ts";
import { type BucketRule, fullBucket, takeToken } from "./token-bucket.ts";

const MESSAGE_RULE: BucketRule = { perSecond: MESSAGE_RATE_PER_SECOND, burst: MESSAGE_BURST };
/** Conversations remembered for typing before stale entries are dropped. */
const TYPING_ENTRIES_BEFORE_PRUNE = 256;

export class UserLimits {
  private readonly windows: SlidingWindows;
  private messages = fullBucket(Date.now(), MESSAGE_RULE);
  private readonly typingRelayedAt = new Map<string, number>();

  constructor(sql: SqlStorage) {
    this.windows = new SlidingWindows(sql);
  }

  /** Takes one slot under every rule, or none (see SlidingWindows.take). */
  take(rules: readonly RateRule[], now = Date.now()): RateTake {
    return this.windows.take(rules, now);
  }

  /** Takes one slot under every rule, or throws a 429 naming `what`. */
  takeOrThrow(rules: readonly RateRule[], what: string): void {
    const taken = this.take(rules);
    if (!taken.ok) throw rateLimited(what, taken.retryAfter);
  }

  giveBack(slot: string): void {
    this.windows.giveBack(slot);
  }

  /** Takes `count` events of `rule` at once (all or none), or throws a 429 naming `what`. */
  takeManyOrThrow(rule: RateRule, count: number, what: string): void {
    if (count === 0) return;
    const taken = this.windows.takeMany(rule, count);
    if (!taken.ok) throw rateLimited(what, taken.retryAfter);
  }

  /** Takes a message token, or throws a 429. */
  takeMessage(now = Date.now()): void {
    const taken = takeToken(this.messages, now, MESSAGE_RULE);
    this.messages = taken.bucket;
    if (taken.allowed) return;
    const retryAfter = Math.max(1, Math.ceil((1 - taken.bucket.tokens) / MESSAGE_RATE_PER_SECOND));
    const what =
      `too many messages: at most ${MESSAGE_RATE_PER_SECOND} per second (burst ${MESSAGE_BURST})`;
    throw rateLimited(what, retryAfter);
  }

  /** True when a typing hint for `conversationId` may be relayed now (and records it). */
  takeTyping(conversationId: string, now = Date.now()): boolean {
    const last = this.typingRelayedAt.get(conversationId);
    if (last !== undefined && now - last < TYPING_RELAY_INTERVAL_MS) return false;
    if (this.typingRelayedAt.size >= TYPING_ENTRIES_BEFORE_PRUNE) {
      for (const [id, at] of this.typingRelayedAt) {
        if (now - at >= TYPING_RELAY_INTERVAL_MS) this.typingRelayedAt.delete(id);
      }
    }
    this.typingRelayedAt.set(conversationId, now);
    return true;
  }

  /** Gives back a typing slot whose hint was refused, so a refusal never looks like a relay. */
  giveBackTyping(conversationId: string): void {
    this.typingRelayedAt.delete(conversationId);
  }
}
