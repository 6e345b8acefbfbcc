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

/**
 * Failed logins per (phone, client IP): a stranger's tries lock that phone out for the stranger's
 * address only (CONTRACT §15 "Logins").
 */
export const LOGIN_FAILURES_PER_PHONE_AND_IP: RateRule = {
  name: "login-failures",
  limit: 5,
  windowSeconds: 15 * 60,
};
/** Failed logins per phone from all addresses: the ceiling on guessing one account. */
export const LOGIN_FAILURES_PER_PHONE: RateRule = {
  name: "login-failures",
  limit: 50,
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

/*
 * Per-user limits (CONTRACT §9). Each is a named rule: to change one, edit it here (the tests
 * and docs/limits.md read these constants). Rules with a window are sliding windows in the
 * user's own UserSession storage; a rule's `name` names its window there, so two rules must not
 * share a name unless they are meant to share a count.
 */

/** Messages (WS `conversation.chat` and `POST /v1/im/chat` together): a per-user token bucket. */
export const MESSAGE_RATE_PER_SECOND = 20;
export const MESSAGE_BURST = 40;

/** Every other write of a user (social requests and handling, groups, setup, PUT conversation…). */
export const USER_WRITES: RateRule = { name: "writes", limit: 120, windowSeconds: 60 };
/** Friend requests sent per user per day (on top of USER_WRITES). */
export const FRIEND_REQUESTS_PER_DAY: RateRule = {
  name: "friend-requests",
  limit: 100,
  windowSeconds: 24 * 60 * 60,
};
/** Groups created per user per day (on top of USER_WRITES). */
export const GROUPS_CREATED_PER_DAY: RateRule = {
  name: "groups-created",
  limit: 50,
  windowSeconds: 24 * 60 * 60,
};
/** Presence look-ups (`friends/online`, `group/users/online`, WS `user.online`) per user. */
export const PRESENCE_LOOKUPS: RateRule = { name: "presence", limit: 30, windowSeconds: 60 };
/** `GET /v1/user/find` per user. */
export const USER_FINDS: RateRule = { name: "find", limit: 60, windowSeconds: 60 };
/** Typing hints relayed per user per conversation: one per this many ms; more are dropped. */
export const TYPING_RELAY_INTERVAL_MS = 2000;

/** `GET /v1/user/find`: name matches returned, ids accepted. */
export const FIND_BY_NAME_LIMIT = 50;
export const FIND_BY_IDS_LIMIT = 100;

/** Lists (friends, requests, groups, members): default and largest `?limit=`. */
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

/** Groups one user may be a member of (CONTRACT §9: a user's storage is bounded). */
export const MAX_GROUPS_PER_USER = 500;
/** Members per group; fan-out is tested at this size. */
export const MAX_GROUP_MEMBERS = 500;

/** WebSocket sockets one user may hold; the next one closes the oldest with 4002. */
export const MAX_SOCKETS_PER_USER = 8;
/** Per-socket token bucket: sustained frames per second and burst size. */
export const FRAME_RATE_PER_SECOND = 20;
export const FRAME_BURST = 40;
/**
 * Admitted frames one socket may have waiting or in flight. Equal to the burst, so a client
 * within the frame rate never meets it unless its requests are slow; it bounds memory at
 * MAX_SOCKETS_PER_USER × MAX_QUEUED_FRAMES × MAX_BODY_BYTES = 8 × 40 × 64 KiB = 20 MiB per
 * session (a Durable Object has 128 MiB). Over it: error frame 100008, the frame is not queued.
 */
export const MAX_QUEUED_FRAMES = FRAME_BURST;
/**
 * A socket's last this many frames are remembered as let through or refused (over the frame
 * rate, over 64 KiB); more than half of them refused closes it with 4008 (CONTRACT §15).
 */
export const FLOOD_WINDOW_FRAMES = 40;
/** Refused frames among the last FLOOD_WINDOW_FRAMES that close the socket: more than half. */
export const FLOOD_REFUSED_TO_CLOSE = FLOOD_WINDOW_FRAMES / 2 + 1;

/*
 * Budgets of CONTRACT §15, per user across devices.
 */
/** Authenticated GETs (every read route). Leased to the Worker's isolates; see read-leases.ts. */
export const USER_READS: RateRule = { name: "reads", limit: 600, windowSeconds: 60 };
/**
 * Reads one lease of the read budget carries (workers/api/read-leases.ts): the first lease an
 * isolate takes for a user, and the most it grows to while that user reads fast. The largest is
 * the most a user can be refused early per other isolate holding an unused lease.
 */
export const READ_LEASE_SMALLEST = 25;
export const READ_LEASE_LARGEST = 100;
/** WebSocket upgrades (connects and reconnects). */
export const SOCKET_UPGRADES: RateRule = { name: "upgrades", limit: 30, windowSeconds: 60 };
/** Conversations named by `conversation.sync` frames (each name counts once per frame). */
export const SYNC_CONVERSATIONS: RateRule = { name: "sync", limit: 300, windowSeconds: 60 };
/** Conversations one `conversation.sync` frame may name (both maps together). */
export const MAX_SYNC_NAMES_PER_FRAME = 50;

/** Message `content` size (UTF-8 bytes). */
export const MAX_CONTENT_BYTES = 16 * 1024;
/** Messages pushed per conversation per `conversation.sync` request. */
export const SYNC_BATCH_SIZE = 200;
/** Conversations listed by `GET /v1/im/conversation`. */
export const CONVERSATION_LIST_LIMIT = 1000;
/*
 * Message lifecycle and social controls (CONTRACT §10).
 */
/** How long after sending its sender may recall a message (creator and managers: any time). */
export const RECALL_WINDOW_MS = 2 * 60 * 1000;
/** How long after sending its sender may edit a text message. */
export const EDIT_WINDOW_MS = 24 * 60 * 60 * 1000;
/** Characters of the answered message a reply carries as its preview. */
export const REPLY_PREVIEW_CHARS = 100;
/** User ids one message may mention. */
export const MAX_MENTIONS = 50;
/** Message ids one `DELETE /v1/im/chatlog` may hide. */
export const MAX_DELETE_MSG_IDS = 100;
/** Users one user may block. */
export const MAX_BLOCKS_PER_USER = 1000;
/**
 * How far ahead a group mute may end (`until` of `PUT /v1/social/group/mute`): a year and a
 * day, so "mute for a year" fits; longer is a kick, not a mute.
 */
export const MAX_MUTE_AHEAD_MS = 366 * 24 * 60 * 60 * 1000;
/**
 * Unread mentions a conversation-list row keeps per conversation; `mentionUnread` counts up to
 * this many (more than this many unread mentions still shows this many).
 */
export const MENTION_UNREAD_KEPT = 200;
/** Changed messages (recalls, edits) pushed per conversation per `conversation.sync` request. */
export const SYNC_CHANGES_BATCH_SIZE = 200;

/** Conversations listed in `session.ready`. */
export const SESSION_READY_CONVERSATIONS = 500;
/**
 * Bytes of last messages one `session.ready` carries: rows past it leave `lastMsg` out, so a
 * list of long messages cannot make every connect megabytes long.
 */
export const SESSION_READY_LAST_MSG_BYTES = 256 * 1024;

/**
 * Group invitations (CONTRACT §15) one user may send per day: invites of someone who is not their
 * friend, which wait for the invitee's answer. Invites of friends join at once and do not count.
 */
export const GROUP_INVITATIONS_PER_DAY: RateRule = {
  name: "group-invitations",
  limit: 100,
  windowSeconds: 24 * 60 * 60,
};
/** How long a group invitation waits for its answer; after that it is gone from the list. */
export const GROUP_INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;
/** `presence` pushes about one user: at most one per this many ms (CONTRACT §14). */
export const PRESENCE_PUSH_INTERVAL_MS = 10_000;
/*
 * Media (CONTRACT §11): sizes per kind, a user's upload budgets, and how long things live.
 */
const MIB = 1024 * 1024;
/** Largest upload of each kind, in bytes. */
export const MEDIA_MAX_BYTES = { image: 10 * MIB, voice: 2 * MIB, file: 25 * MIB } as const;
/** Uploads per user (every attempt counts, a refused one too). */
export const MEDIA_UPLOADS: RateRule = { name: "media-uploads", limit: 60, windowSeconds: 60 * 60 };
/** Bytes uploaded per user per day; an upload reserves its size (or its kind's most) first. */
export const MEDIA_BYTES_PER_DAY: RateRule = {
  name: "media-bytes",
  limit: 500 * MIB,
  windowSeconds: 24 * 60 * 60,
};
/** An upload never sent is deleted this long after it was made. */
export const MEDIA_UNSENT_TTL_MS = 24 * 60 * 60 * 1000;
/** Lifetime of a signed media URL. */
export const MEDIA_URL_TTL_MS = 15 * 60 * 1000;
/** A message's `media.thumb`: a data: URL of at most this many characters. */
export const MEDIA_THUMB_MAX_CHARS = 4 * 1024;
/** A file's name, in characters (code points). */
export const MEDIA_NAME_MAX_CHARS = 255;
/** Reactions (CONTRACT §13): distinct emoji on one message. */
export const MAX_REACTION_EMOJI = 20;
/** Pinned messages per conversation (CONTRACT §13). */
export const MAX_PINS = 50;
/** Read counts: the sender's messages among the conversation's newest this many are counted. */
export const READ_COUNT_WINDOW = 100;
/** Read counts: at most one `read.count` push per conversation per this many ms. */
export const READ_COUNT_INTERVAL_MS = 1_000;
/** `GET /v1/im/search` per user. */
export const SEARCHES: RateRule = { name: "search", limit: 30, windowSeconds: 60 };
/** Search: results per page (default and largest), and the query's length in characters. */
export const SEARCH_DEFAULT_LIMIT = 20;
export const SEARCH_MAX_LIMIT = 50;
export const SEARCH_MIN_QUERY = 2;
export const SEARCH_MAX_QUERY = 100;
/** Search without a conversation: the caller's most recently active conversations searched. */
export const SEARCH_CONVERSATIONS = 50;
/** Search without a conversation: how long the answer waits for the conversations' answers. */
export const SEARCH_TIME_BUDGET_MS = 2_000;
/** Messages indexed per step of a search index's backfill (one alarm or ask each). */
export const SEARCH_BACKFILL_STEP = 500;
/** Web Push subscriptions kept per user (one per device): a new one beyond it replaces the oldest. */
export const MAX_PUSH_SUBSCRIPTIONS = 10;
/** Characters of a push endpoint URL (push services' URLs are a few hundred). */
export const MAX_PUSH_ENDPOINT_CHARS = 1024;
/** How long a failed push is retried after it was first enqueued (CONTRACT §12). */
export const PUSH_RETRY_FOR_MS = 24 * 60 * 60 * 1000;
