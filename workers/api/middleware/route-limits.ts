/**
 * Per-user limits of the HTTP routes (CONTRACT §9), by method and path, in one table, so the
 * route modules stay unaware of them. The slot is taken in the user's UserSession (its sliding
 * windows, see workers/user-session/user-limits.ts) after authentication and before validation
 * or any work: a refused request does nothing, and every request counts, a malformed one too.
 * `POST /v1/im/chat` is not here: the user's UserSession takes the message token as it sends.
 */
import { createMiddleware } from "hono/factory";
import {
  FRIEND_REQUESTS_PER_DAY,
  GROUPS_CREATED_PER_DAY,
  PRESENCE_LOOKUPS,
  type RateRule,
  SEARCHES,
  USER_FINDS,
  USER_WRITES,
} from "../../../shared/limits.ts";
import { type RateLimiter, takeOrThrow } from "../../../shared/rate-limit.ts";
import type { AppEnv } from "../env.ts";
import { authenticate } from "./auth.ts";

interface RouteLimit {
  rules: readonly RateRule[];
  /** Says what was limited, in the 429's message. */
  what: string;
}

const WRITES: RouteLimit = { rules: [USER_WRITES], what: "too many writes" };
const PRESENCE: RouteLimit = { rules: [PRESENCE_LOOKUPS], what: "too many presence look-ups" };

/** `METHOD /path` → the rules a request takes a slot under. */
export const ROUTE_LIMITS: Readonly<Record<string, RouteLimit>> = {
  "PUT /v1/user/user": WRITES,
  "GET /v1/user/find": { rules: [USER_FINDS], what: "too many finds" },
  "POST /v1/social/friend/putIn": {
    rules: [USER_WRITES, FRIEND_REQUESTS_PER_DAY],
    what: "too many writes or friend requests",
  },
  "PUT /v1/social/friend/putIn": WRITES,
  "PUT /v1/social/friend/remark": WRITES,
  "DELETE /v1/social/friend": WRITES,
  "POST /v1/social/group": {
    rules: [USER_WRITES, GROUPS_CREATED_PER_DAY],
    what: "too many writes or groups created",
  },
  "PUT /v1/social/group": WRITES,
  "DELETE /v1/social/group": WRITES,
  "POST /v1/social/group/putIn": WRITES,
  "PUT /v1/social/group/putIn": WRITES,
  "PUT /v1/social/group/invitation": WRITES,
  "POST /v1/social/group/quit": WRITES,
  "POST /v1/social/group/kick": WRITES,
  "PUT /v1/social/group/role": WRITES,
  "PUT /v1/social/group/mute": WRITES,
  "POST /v1/social/block": WRITES,
  "DELETE /v1/social/block": WRITES,
  "POST /v1/im/setup/conversation": WRITES,
  "PUT /v1/im/conversation": WRITES,
  "POST /v1/im/chat/recall": WRITES,
  "PUT /v1/im/chat": WRITES,
  "DELETE /v1/im/chatlog": WRITES,
  "PUT /v1/im/chat/reaction": WRITES,
  "DELETE /v1/im/chat/reaction": WRITES,
  "POST /v1/im/chat/pin": WRITES,
  "DELETE /v1/im/chat/pin": WRITES,
  "GET /v1/im/search": { rules: [SEARCHES], what: "too many searches" },
  "POST /v1/push/subscription": WRITES,
  "DELETE /v1/push/subscription": WRITES,
  "GET /v1/social/friends/online": PRESENCE,
  "GET /v1/social/group/users/online": PRESENCE,
};

/** The rate-limit port over the users' UserSession objects; the key is the user id. */
export function sessionRateLimiter(namespace: Env["USER_SESSION"]): RateLimiter {
  return {
    take: (userId, rules) => namespace.getByName(userId).takeLimits([...rules]),
    giveBack: (userId, slot) => namespace.getByName(userId).giveBackLimit(slot),
  };
}

export const userLimits = createMiddleware<AppEnv>(async (c, next) => {
  // Hono answers HEAD with the GET route: it costs the same work, so it takes the same slot.
  const method = c.req.method === "HEAD" ? "GET" : c.req.method;
  const limit = ROUTE_LIMITS[`${method} ${c.req.path}`];
  if (limit) {
    const { userId } = await authenticate(c);
    await takeOrThrow(sessionRateLimiter(c.env.USER_SESSION), userId, limit.rules, limit.what);
  }
  await next();
});
