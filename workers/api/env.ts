/** Hono typing for the Worker: bindings from wrangler.toml, variables set by middleware. */
import type { Db } from "../../shared/db/client.ts";
import type { MembershipEvents } from "../../shared/social/events.ts";

export interface AppVariables {
  /** The token's subject: the only source of "who is asking". */
  userId: string;
  db: Db;
  /** Where friend and group membership changes go (the Conversation Durable Objects). */
  membershipEvents: MembershipEvents;
}

export interface AppEnv {
  Bindings: Env;
  Variables: AppVariables;
}
