/**
 * `/v1/push` — Web Push subscriptions (CONTRACT §12, docs/push.md): the server's VAPID key, and
 * the caller's devices, stored in their UserSession. An endpoint is accepted only on a known
 * push service (shared/push/push-endpoint.ts), so the server never fetches a URL a user made up.
 */
import { z } from "@hono/zod-openapi";
import { InvalidParamsError, NotFoundError } from "../../../shared/errors.ts";
import { pushEndpointRefusal } from "../../../shared/push/push-endpoint.ts";
import {
  pushEndpointBodySchema,
  pushSubscriptionBodySchema,
  pushSubscriptionSchema,
  vapidKeySchema,
} from "../../../shared/push/schemas.ts";
import { publicRoutes, tokenRoutes } from "../route-helpers.ts";
import { createRouter } from "../router.ts";

export const pushRoutes = createRouter();
const route = tokenRoutes(pushRoutes, "push");
const publicRoute = publicRoutes(pushRoutes, "push");

publicRoute.get("/key", {
  summary: "The server's VAPID public key, for PushManager.subscribe",
  ok: ["The key", vapidKeySchema],
  errors: { 404: "Push is not configured on this server (100005)" },
}, (c) => {
  const vapidPublicKey = c.env.VAPID_PUBLIC_KEY ?? "";
  if (vapidPublicKey === "") throw new NotFoundError("push is not configured on this server");
  return Promise.resolve({ vapidPublicKey });
});

route.post("/subscription", {
  summary: "Subscribe this device to pushes (idempotent per endpoint; at most 10, oldest goes)",
  body: pushSubscriptionBodySchema,
  ok: ["The subscription's id", z.object({ id: z.string() })],
  errors: { 404: "Push is not configured on this server (100005)" },
}, async (c) => {
  const body = c.req.valid("json");
  // Without a key nothing could be sent to it: nothing is stored either.
  if (!c.env.VAPID_PUBLIC_KEY) throw new NotFoundError("push is not configured on this server");
  const refusal = pushEndpointRefusal(body.endpoint, c.env.PUSH_ALLOW_LOOPBACK === "true");
  if (refusal !== null) throw new InvalidParamsError(refusal);
  return { id: await c.env.USER_SESSION.getByName(c.var.userId).subscribePush(body) };
});

route.delete("/subscription", {
  summary: "Unsubscribe a device (idempotent)",
  body: pushEndpointBodySchema,
  ok: ["Removed, or there was none", z.object({})],
}, async (c) => {
  const { endpoint } = c.req.valid("json");
  await c.env.USER_SESSION.getByName(c.var.userId).removePushSubscription(endpoint);
  return {};
});

route.get("/subscriptions", {
  summary: "Your devices subscribed to pushes, oldest first",
  ok: ["Subscriptions", z.object({ list: z.array(pushSubscriptionSchema) })],
}, async (c) => ({
  list: await c.env.USER_SESSION.getByName(c.var.userId).listPushSubscriptions(),
}));
