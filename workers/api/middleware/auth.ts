/**
 * Bearer-token authentication: the token's signature and claims, then its revocation state (the
 * user's UserSession, behind a per-isolate cache; see workers/api/token-revocations.ts) — for a
 * GET together with a read of the user's read budget (workers/api/read-leases.ts). `authenticate`
 * is the one place this happens; it runs once per request, whichever middleware asks first
 * (the per-user limits run before the route's own requireAuth).
 */
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import {
  type TokenRevocations,
  type VerifiedToken,
  verifyAccessToken,
} from "../../../shared/auth/tokens.ts";
import { UnauthorizedError } from "../../../shared/errors.ts";
import type { AppEnv } from "../env.ts";
import { takeRead } from "../read-leases.ts";
import { sessionRevocations } from "../token-revocations.ts";

/** Extracts the token from `Authorization: Bearer <token>`, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  return match?.[1];
}

/** The token state of the Worker's users (their UserSession objects). */
export function tokenRevocations(env: Env): TokenRevocations {
  return sessionRevocations(env.USER_SESSION);
}

/** Verifies the request's bearer token (once per request) and sets `userId` and `token`. */
export async function authenticate(c: Context<AppEnv>): Promise<VerifiedToken> {
  const known = c.get("token");
  if (known) return known;
  const raw = bearerToken(c.req.header("Authorization"));
  if (!raw) throw new UnauthorizedError("Authorization: Bearer <token> is required");
  const token = await verifyAccessToken(raw, { secret: c.env.JWT_SECRET });
  // Every authenticated GET is a read (HEAD is answered by the GET route, so it is one too).
  if (c.req.method === "GET" || c.req.method === "HEAD") {
    await takeRead(c.env.USER_SESSION, token);
  } else {
    await tokenRevocations(c.env).assertNotRevoked(token);
  }
  c.set("token", token);
  c.set("userId", token.userId);
  return token;
}

export const requireAuth = createMiddleware<AppEnv>(async (c, next) => {
  await authenticate(c);
  await next();
});
