/** Bearer-token authentication: sets `userId` from the verified token, or answers 401. */
import { createMiddleware } from "hono/factory";
import { verifyAccessToken } from "../../../shared/auth/tokens.ts";
import { UnauthorizedError } from "../../../shared/errors.ts";
import type { AppEnv } from "../env.ts";

/** Extracts the token from `Authorization: Bearer <token>`, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  return match?.[1];
}

export const requireAuth = createMiddleware<AppEnv>(async (c, next) => {
  const token = bearerToken(c.req.header("Authorization"));
  if (!token) throw new UnauthorizedError("Authorization: Bearer <token> is required");
  const { userId } = await verifyAccessToken(token, { secret: c.env.JWT_SECRET });
  c.set("userId", userId);
  await next();
});
