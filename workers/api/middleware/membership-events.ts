/** Hands the social services the Conversation objects as the listeners of membership changes. */
import { createMiddleware } from "hono/factory";
import { conversationMembershipEvents } from "../../conversation/membership-events.ts";
import type { AppEnv } from "../env.ts";

export const withMembershipEvents = createMiddleware<AppEnv>(async (c, next) => {
  c.set("membershipEvents", conversationMembershipEvents(c.env));
  await next();
});
