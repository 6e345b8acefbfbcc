/** `/v1/user` — register, login, profile, find (CONTRACT §2). */
import { z } from "@hono/zod-openapi";
import { ok } from "../../../shared/envelope.ts";
import {
  findUsersQuerySchema,
  loginBodySchema,
  loginResultSchema,
  publicUserSchema,
  registerBodySchema,
  tokenSchema,
  updateUserBodySchema,
  userSchema,
} from "../../../shared/users/schemas.ts";
import {
  findUsers,
  getUserInfo,
  loginUser,
  registerUser,
  updateUserInfo,
} from "../../../shared/users/service.ts";
import { clientIp } from "../client-ip.ts";
import { publicRoutes, tokenRoutes } from "../route-helpers.ts";
import { createRouter } from "../router.ts";
import { rateLimiter, tokenConfig } from "../services.ts";

const publicRoute = publicRoutes("users");
const route = tokenRoutes("users");

const register = publicRoute.post("/register", {
  summary: "Create an account and get its first token",
  body: registerBodySchema,
  ok: ["Registered", tokenSchema],
  errors: {
    409: "Phone already registered (100007)",
    429: "Too many registrations from this IP (100008)",
  },
});

const login = publicRoute.post("/login", {
  summary: "Exchange phone + password for a token",
  body: loginBodySchema,
  ok: ["Logged in", loginResultSchema],
  errors: {
    401: "Phone or password wrong — one answer for both (100003)",
    429: "Too many failed logins for this phone or IP (100008)",
  },
});

const detail = route.get("/user", {
  summary: "The caller's own profile",
  ok: ["Profile", z.object({ info: userSchema })],
});

const update = route.put("/user", {
  summary: "Update nickname, avatar or sex",
  body: updateUserBodySchema,
  ok: ["Updated profile", z.object({ info: userSchema })],
});

const find = route.get("/find", {
  summary: "Find users by phone, nickname substring, or ids (that priority)",
  query: findUsersQuerySchema,
  ok: ["Matches (never with phone numbers)", z.object({ list: z.array(publicUserSchema) })],
});

export const userRoutes = createRouter()
  .openapi(register, async (c) => {
    const body = c.req.valid("json");
    const issued = await registerUser(
      c.var.db,
      rateLimiter(c.env),
      body,
      clientIp(c.req.raw),
      tokenConfig(c.env),
    );
    return c.json(ok(issued), 200);
  })
  .openapi(login, async (c) => {
    const body = c.req.valid("json");
    const result = await loginUser(
      c.var.db,
      rateLimiter(c.env),
      body,
      clientIp(c.req.raw),
      tokenConfig(c.env),
    );
    return c.json(ok(result), 200);
  })
  .openapi(detail, async (c) => {
    return c.json(ok({ info: await getUserInfo(c.var.db, c.var.userId) }), 200);
  })
  .openapi(update, async (c) => {
    const info = await updateUserInfo(c.var.db, c.var.userId, c.req.valid("json"));
    return c.json(ok({ info }), 200);
  })
  .openapi(find, async (c) => {
    return c.json(ok({ list: await findUsers(c.var.db, c.req.valid("query")) }), 200);
  });
