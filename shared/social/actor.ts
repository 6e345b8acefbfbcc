/** Who calls a social service: the one argument every service takes first. */
import type { Db } from "../db/client.ts";
import type { RateRule } from "../limits.ts";
import type { MembershipEvents } from "./events.ts";
import type { SocialPushes } from "./pushes.ts";

/** The caller's own rate limits, for a slot a service can only know it needs midway. */
export interface ActorLimits {
  /** Takes one slot under every rule, atomically, or throws 429 + Retry-After saying `what`. */
  take(rules: readonly RateRule[], what: string): Promise<void>;
}

/** The caller of a social service, the database it works on and where membership changes go. */
export interface Actor {
  db: Db;
  events: MembershipEvents;
  /** The token's subject: the only source of "who is asking". */
  userId: string;
  /** Where pushes to users' sockets go (CONTRACT §14); nowhere when absent. */
  pushes?: SocialPushes;
  /** The caller's limits; a service that needs a slot refuses to work without them. */
  limits?: ActorLimits;
}

/** `actor.limits`, or an error: a limit is never skipped because nobody passed it in. */
export function limitsOf(actor: Actor): ActorLimits {
  if (!actor.limits) {
    throw new Error("this service takes a rate-limit slot: pass the actor's limits");
  }
  return actor.limits;
}
