/** `/v1/user` — logout and password change: the token-revoking routes (CONTRACT §9). */
import { z } from "@hono/zod-openapi";
import { ok } from "../../../shared/envelope.ts";
import {
  changePasswordBodySchema,
  logoutBodySchema,
} from "../../../shared/users/account-schemas.ts";
import { tokenSchema } from "../../../shared/users/schemas.ts";
import { changePassword, logoutUser } from "../../../shared/users/service.ts";
import { clientIp } from "../client-ip.ts";
import { tokenRevocations } from "../middleware/auth.ts";
import { tokenRoutes } from "../route-helpers.ts";
import { createRouter } from "../router.ts";
import { rateLimiter, tokenConfig } from "../services.ts";

const route = tokenRoutes("users");

const logout = route.post("/logout", {
  summary: "Revoke the presented token (with all: every token of the user)",
  description: "A revoked token gets 401 everywhere within 60 s (at once on the server that " +
    "revoked it); its sockets are closed with 4003 at once.",
  body: logoutBodySchema,
  ok: ["Revoked", z.object({})],
});

const password = route.put("/password", {
  summary: "Change the password: every other token is revoked, a fresh one returned",
  body: changePasswordBodySchema,
  ok: ["The fresh token", tokenSchema],
  errors: { 429: "Too many failed logins for this phone or IP (100008)" },
});

export const accountRoutes = createRouter()
  .openapi(logout, async (c) => {
    await logoutUser(tokenRevocations(c.env), c.var.token, c.req.valid("json").all ?? false);
    return c.json(ok({}), 200);
  })
  .openapi(password, async (c) => {
    const issued = await changePassword(
      c.var.db,
      rateLimiter(c.env),
      c.var.userId,
      c.req.valid("json"),
      clientIp(c.req.raw),
      { ...tokenConfig(c.env), revocations: tokenRevocations(c.env) },
    );
    return c.json(ok(issued), 200);
  });
