/**
 * Every size and rate limit in one place, so docs and tests can point at a single table.
 * See docs/limits.md for the reasoning behind each number.
 */

/** Largest HTTP body and WebSocket frame accepted (CONTRACT §1, §6). */
export const MAX_BODY_BYTES = 64 * 1024;

export interface RateRule {
  /** Events allowed inside one window. */
  limit: number;
  windowSeconds: number;
}

/** Failed logins per phone before that phone is locked out for the rest of the window. */
export const LOGIN_FAILURES_PER_PHONE: RateRule = { limit: 5, windowSeconds: 15 * 60 };
/** Failed logins per client IP (covers one client spraying many phones). */
export const LOGIN_FAILURES_PER_IP: RateRule = { limit: 20, windowSeconds: 15 * 60 };
/** Registrations per client IP (each costs a bcrypt hash). */
export const REGISTRATIONS_PER_IP: RateRule = { limit: 30, windowSeconds: 60 * 60 };

/** `GET /v1/user/find`: name matches returned, ids accepted. */
export const FIND_BY_NAME_LIMIT = 50;
export const FIND_BY_IDS_LIMIT = 100;
