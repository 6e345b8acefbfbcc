/** `/v1/user` — logout and password change: the token-revoking routes (CONTRACT §9). */
import { z } from "@hono/zod-openapi";
import * as schemas from "../../../shared/users/account-schemas.ts";
import { tokenSchema } from "../../../shared/users/schemas.ts";
import * as users from "../../../shared/users/service.ts";
import { clientIp } from "../client-ip.ts";
import { tokenRevocations } from "../middleware/auth.ts";
import { tokenRoutes } from "../route-helpers.ts";
import { createRouter } from "../router.ts";
import { rateLimiter, tokenConfig } from "../services.ts";

export const accountRoutes = createRouter();
const route = tokenRoutes(accountRoutes, "users");

route.post("/logout", {
  summary: "Revoke the presented token (with all: every token of the user)",
  description: "A revoked token gets 401 everywhere within 60 s (at once on the server that " +
    "revoked it); its sockets are closed with 4003 at once.",
  body: schemas.logoutBodySchema,
  ok: ["Revoked", z.object({})],
}, async (c) => {
  await users.logoutUser(tokenRevocations(c.env), c.var.token, c.req.valid("json").all ?? false);
  return {};
});

route.put("/password", {
  summary: "Change the password: every other token is revoked, a fresh one returned",
  body: schemas.changePasswordBodySchema,
  ok: ["The fresh token", tokenSchema],
  errors: { 429: "Too many failed logins for this phone or IP (100008)" },
}, (c) =>
  users.changePassword(
    c.var.db,
    rateLimiter(c.env),
    c.var.userId,
    c.req.valid("json"),
    clientIp(c.req.raw),
    { ...tokenConfig(c.env), revocations: tokenRevocations(c.env) },
  ));
