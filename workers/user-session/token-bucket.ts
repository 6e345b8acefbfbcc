/**
 * A token bucket: pure functions over a bucket its owner keeps. A socket's frame bucket
 * (FRAME_RULE, the default: FRAME_RATE_PER_SECOND sustained, FRAME_BURST at once) lives in the
 * socket's attachment, so it survives hibernation; the user's message bucket is UserLimits'.
 */
import { FRAME_BURST, FRAME_RATE_PER_SECOND } from "../../shared/limits.ts";

export interface RateBucket {
  /** Frames that may still be sent right now (fractional while refilling; below 0 in debt). */
  tokens: number;
  /** When `tokens` was last computed, Unix ms. */
  updatedAt: number;
}

export interface BucketRule {
  perSecond: number;
  burst: number;
}

export const FRAME_RULE: BucketRule = { perSecond: FRAME_RATE_PER_SECOND, burst: FRAME_BURST };

/** A bucket for a new socket: the whole burst is available. */
export function fullBucket(now: number, rule: BucketRule = FRAME_RULE): RateBucket {
  return { tokens: rule.burst, updatedAt: now };
}

/** Refills `bucket` up to `now` and takes one token if there is one. */
export function takeToken(
  bucket: RateBucket,
  now: number,
  rule: BucketRule = FRAME_RULE,
): { allowed: boolean; bucket: RateBucket } {
  // A clock that steps back refills nothing and does not move the bucket's time back either.
  const updatedAt = Math.max(now, bucket.updatedAt);
  const elapsedSeconds = (updatedAt - bucket.updatedAt) / 1000;
  const tokens = Math.min(rule.burst, bucket.tokens + elapsedSeconds * rule.perSecond);
  if (tokens < 1) return { allowed: false, bucket: { tokens, updatedAt } };
  return { allowed: true, bucket: { tokens: tokens - 1, updatedAt } };
}

/**
 * Like takeToken, but a refused frame is charged too, down to `-rule.burst`: a socket that keeps
 * sending over the rate stays refused (every frame, not one in three at 1.5× the rate) until it
 * slows down, and a pause of about (burst + 1) / rate seconds serves it again.
 */
export function chargeToken(
  bucket: RateBucket,
  now: number,
  rule: BucketRule = FRAME_RULE,
): { allowed: boolean; bucket: RateBucket } {
  const taken = takeToken(bucket, now, rule);
  if (taken.allowed) return taken;
  const tokens = Math.max(-rule.burst, taken.bucket.tokens - 1);
  return { allowed: false, bucket: { tokens, updatedAt: taken.bucket.updatedAt } };
}
