/**
 * The interface the domain code uses to count events per key (login failures, registrations).
 * The Worker backs it with the RateLimiter Durable Object; keys are namespaced strings such as
 * "login-phone:+8613800000001".
 */
import type { RateRule } from "./limits.ts";

export interface RateLimiter {
  /** Seconds until `key` may act again under `rule`; 0 when it may act now. */
  retryAfter(key: string, rule: RateRule): Promise<number>;
  /** Records one event for `key` and returns retryAfter after it. */
  record(key: string, rule: RateRule): Promise<number>;
  /** Forgets `key`'s events (a successful login clears that phone's failures). */
  clear(key: string): Promise<void>;
}
