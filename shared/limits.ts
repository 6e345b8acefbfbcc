/**
 * Every size and rate limit in one place, so docs and tests can point at a single table.
 * See docs/limits.md for the reasoning behind each number.
 */

/** Largest HTTP body and WebSocket frame accepted (CONTRACT §1, §6). */
export const MAX_BODY_BYTES = 64 * 1024;

export interface RateRule {
  /** Names the rule's window in the limiter's log (several rules can share one limiter key). */
  name: string;
  /** Events allowed inside one window. */
  limit: number;
  windowSeconds: number;
}

/** Failed logins per phone before that phone is locked out for the rest of the window. */
export const LOGIN_FAILURES_PER_PHONE: RateRule = {
  name: "login-failures",
  limit: 5,
  windowSeconds: 15 * 60,
};
/** Failed logins per client IP (covers one client spraying many phones). */
export const LOGIN_FAILURES_PER_IP: RateRule = {
  name: "login-failures",
  limit: 20,
  windowSeconds: 15 * 60,
};
/** Registrations per client IP (each costs a bcrypt hash). */
export const REGISTRATIONS_PER_IP: RateRule = {
  name: "registrations",
  limit: 30,
  windowSeconds: 60 * 60,
};

/** `GET /v1/user/find`: name matches returned, ids accepted. */
export const FIND_BY_NAME_LIMIT = 50;
export const FIND_BY_IDS_LIMIT = 100;

/** Lists (friends, requests, groups, members): default and largest `?limit=`. */
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

/** Members per group; fan-out is tested at this size. */
export const MAX_GROUP_MEMBERS = 500;

/** WebSocket sockets one user may hold; the next one closes the oldest with 4002. */
export const MAX_SOCKETS_PER_USER = 8;
/** Per-socket token bucket: sustained frames per second and burst size. */
export const FRAME_RATE_PER_SECOND = 20;
export const FRAME_BURST = 40;
/** Rate-limited frames in a row after which the socket is closed with 4008. */
export const FLOOD_STRIKES_BEFORE_CLOSE = 20;

/** Message `content` size (UTF-8 bytes). */
export const MAX_CONTENT_BYTES = 16 * 1024;
/** Messages pushed per conversation per `conversation.sync` request. */
export const SYNC_BATCH_SIZE = 200;
/** Conversations listed by `GET /v1/im/conversation`. */
export const CONVERSATION_LIST_LIMIT = 1000;
/** Conversations listed in `session.ready`. */
export const SESSION_READY_CONVERSATIONS = 500;
