/** `/v1/user` — register, login, profile, find (CONTRACT §2). */
import { z } from "@hono/zod-openapi";
import * as schemas from "../../../shared/users/schemas.ts";
import * as users from "../../../shared/users/service.ts";
import { clientIp } from "../client-ip.ts";
import { publicRoutes, tokenRoutes } from "../route-helpers.ts";
import { createRouter } from "../router.ts";
import { rateLimiter, tokenConfig } from "../services.ts";

export const userRoutes = createRouter();
const publicRoute = publicRoutes(userRoutes, "users");
const route = tokenRoutes(userRoutes, "users");

publicRoute.post("/register", {
  summary: "Create an account and get its first token",
  body: schemas.registerBodySchema,
  ok: ["Registered", schemas.tokenSchema],
  errors: {
    409: "Phone already registered (100007)",
    429: "Too many registrations from this IP (100008)",
  },
}, (c) => {
  const ip = clientIp(c.req.raw);
  return users.registerUser(
    c.var.db,
    rateLimiter(c.env),
    c.req.valid("json"),
    ip,
    tokenConfig(c.env),
  );
});

publicRoute.post("/login", {
  summary: "Exchange phone + password for a token",
  body: schemas.loginBodySchema,
  ok: ["Logged in", schemas.loginResultSchema],
  errors: {
    401: "Phone or password wrong — one answer for both (100003)",
    429: "Too many failed logins for this phone or IP (100008)",
  },
}, (c) => {
  const ip = clientIp(c.req.raw);
  return users.loginUser(c.var.db, rateLimiter(c.env), c.req.valid("json"), ip, tokenConfig(c.env));
});

route.get("/user", {
  summary: "The caller's own profile",
  ok: ["Profile", z.object({ info: schemas.userSchema })],
}, async (c) => ({ info: await users.getUserInfo(c.var.db, c.var.userId) }));

route.put(
  "/user",
  {
    summary: "Update nickname, avatar or sex",
    body: schemas.updateUserBodySchema,
    ok: ["Updated profile", z.object({ info: schemas.userSchema })],
  },
  async (c) => ({ info: await users.updateUserInfo(c.var.db, c.var.userId, c.req.valid("json")) }),
);

route.get("/find", {
  summary: "Find users by phone, nickname substring, or ids (that priority)",
  query: schemas.findUsersQuerySchema,
  ok: ["Matches (never with phone numbers)", z.object({ list: z.array(schemas.publicUserSchema) })],
}, async (c) => ({ list: await users.findUsers(c.var.db, c.req.valid("query")) }));
