/**
 * The failed-login budget (CONTRACT §15 "Logins"): a slot per (phone, client IP), per phone and
 * per client IP, all taken before the password is checked (so a parallel burst of guesses is
 * counted exactly) and all given back when it is right (earlier failures keep counting: the
 * owner's right password must not reset an attacker's count). Counting per (phone, IP) first
 * means a stranger's tries lock that phone out for the stranger's address, not the owner's; the
 * per-phone ceiling still bounds guessing one account from many addresses.
 */
import { RateLimitedError } from "../errors.ts";
import {
  LOGIN_FAILURES_PER_IP,
  LOGIN_FAILURES_PER_PHONE,
  LOGIN_FAILURES_PER_PHONE_AND_IP,
  type RateRule,
} from "../limits.ts";
import type { RateLimiter } from "../rate-limit.ts";

/** The slots a login attempt holds until its password is checked. */
export type LoginSlots = Array<{ key: string; slot: string }>;

function loginKeys(phone: string, clientIp: string): Array<[string, RateRule]> {
  return [
    [`login-phone-ip:${phone}|${clientIp}`, LOGIN_FAILURES_PER_PHONE_AND_IP],
    [`login-phone:${phone}`, LOGIN_FAILURES_PER_PHONE],
    [`login-ip:${clientIp}`, LOGIN_FAILURES_PER_IP],
  ];
}

/** Takes every slot of a login attempt, or none and throws 429 with the longest wait. */
export async function takeLoginSlots(
  limiter: RateLimiter,
  phone: string,
  clientIp: string,
): Promise<LoginSlots> {
  const keys = loginKeys(phone, clientIp);
  const taken = await Promise.all(keys.map(([key, rule]) => limiter.take(key, [rule])));
  const slots: LoginSlots = [];
  let wait = 0;
  taken.forEach((take, i) => {
    if (take.ok) slots.push({ key: keys[i]![0], slot: take.slot });
    else wait = Math.max(wait, take.retryAfter);
  });
  if (wait === 0) return slots;
  await giveBackLoginSlots(limiter, slots);
  throw new RateLimitedError(`too many failed logins, retry in ${wait} s`, wait);
}

/** Gives back the slots of an attempt whose password was right. */
export async function giveBackLoginSlots(limiter: RateLimiter, slots: LoginSlots): Promise<void> {
  await Promise.all(slots.map(({ key, slot }) => limiter.giveBack(key, slot)));
}
