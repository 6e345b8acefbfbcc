/**
 * Hands the social services the Conversation objects as the listeners of membership changes,
 * and the users' sessions as where social pushes go (sent after the answer, via waitUntil).
 */
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { withSocialPushes } from "../../../shared/social/membership-pushes.ts";
import { conversationMembershipEvents } from "../../conversation/membership-events.ts";
import type { AppEnv } from "../env.ts";
import { sessionSocialPushes } from "../../social-pushes.ts";

/** The request's waitUntil; a request without an execution context just lets the work run. */
function waitUntilOf(c: Context<AppEnv>): (work: Promise<unknown>) => void {
  try {
    const ctx = c.executionCtx;
    return (work) => ctx.waitUntil(work);
  } catch {
    return () => {};
  }
}

export const withMembershipEvents = createMiddleware<AppEnv>(async (c, next) => {
  const pushes = sessionSocialPushes(c.env.USER_SESSION, waitUntilOf(c));
  c.set("socialPushes", pushes);
  c.set(
    "membershipEvents",
    withSocialPushes(conversationMembershipEvents(c.env), pushes, c.var.db),
  );
  await next();
});
