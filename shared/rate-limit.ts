/**
 * The port the domain code uses to limit events per key (login failures, registrations, a user's
 * writes). The Worker backs it with RateLimiter Durable Objects, one per key; keys are namespaced
 * strings such as "login-phone:+8613800000001".
 */
import { RateLimitedError } from "./errors.ts";
import type { RateRule } from "./limits.ts";

/** A taken slot (to give back, e.g. after a login that succeeded), or the wait in seconds. */
export type RateTake = { ok: true; slot: string } | { ok: false; retryAfter: number };

export interface RateLimiter {
  /** Takes one slot for `key` under every rule, atomically, or none. */
  take(key: string, rules: readonly RateRule[]): Promise<RateTake>;
  /** Gives a slot taken for `key` back. */
  giveBack(key: string, slot: string): Promise<void>;
}

/** The error for a refused take: 429 + 100008 with Retry-After, saying what was limited. */
export function rateLimited(what: string, retryAfter: number): RateLimitedError {
  return new RateLimitedError(`${what}, retry in ${retryAfter} s`, retryAfter);
}

/** Takes a slot or throws RateLimitedError (429 with Retry-After) saying what was limited. */
export async function takeOrThrow(
  limiter: RateLimiter,
  key: string,
  rules: readonly RateRule[],
  what: string,
): Promise<string> {
  const taken = await limiter.take(key, rules);
  if (taken.ok) return taken.slot;
  throw rateLimited(what, taken.retryAfter);
}
