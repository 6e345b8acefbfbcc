/** Hono typing for the Worker: bindings from wrangler.toml, variables set by middleware. */
import type { VerifiedToken } from "../../shared/auth/tokens.ts";
import type { Db } from "../../shared/db/client.ts";
import type { MembershipEvents } from "../../shared/social/events.ts";
import type { SocialPushes } from "../../shared/social/pushes.ts";

export interface AppVariables {
  /** The token's subject: the only source of "who is asking". */
  userId: string;
  /** The verified, unrevoked token the request carried (set with `userId`). */
  token: VerifiedToken;
  db: Db;
  /** This request's X-Request-Id (the client's, or a new one), also in its log line. */
  requestId: string;
  /** Where friend and group membership changes go (the Conversation Durable Objects). */
  membershipEvents: MembershipEvents;
  /** Where pushes to users' sockets go (the users' UserSession objects, after the answer). */
  socialPushes: SocialPushes;
}

export interface AppEnv {
  Bindings: Env;
  Variables: AppVariables;
}
