/** Small adapters from Worker bindings to the domain's ports. */
import { secretKey, type TokenConfig, tokenTtlSeconds } from "../../shared/auth/tokens.ts";
import type { RateLimiter } from "../../shared/rate-limit.ts";
import { tokenRevocations } from "./middleware/auth.ts";
import { durableRateLimiter } from "../rate-limiter.ts";

/**
 * Token settings from the environment (secret + JWT_TTL_SECONDS). A short secret fails here,
 * before a route does any work, so a misconfigured register leaves no half-made account.
 */
export function tokenConfig(env: Env): TokenConfig {
  secretKey(env.JWT_SECRET);
  return {
    secret: env.JWT_SECRET,
    ttlSeconds: tokenTtlSeconds(env.JWT_TTL_SECONDS),
    revocations: tokenRevocations(env),
  };
}

/** The rate limiter backed by RateLimiter Durable Objects. */
export function rateLimiter(env: Env): RateLimiter {
  return durableRateLimiter(env.RATE_LIMITER);
}
