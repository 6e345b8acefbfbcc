/** Small adapters from Worker bindings to the domain's ports. */
import type { TokenConfig } from "../../shared/auth/tokens.ts";
import { tokenTtlSeconds } from "../../shared/auth/tokens.ts";
import type { RateLimiter } from "../../shared/rate-limit.ts";
import { durableRateLimiter } from "../rate-limiter.ts";

/** Token settings from the environment (secret + JWT_TTL_SECONDS). */
export function tokenConfig(env: Env): TokenConfig {
  return { secret: env.JWT_SECRET, ttlSeconds: tokenTtlSeconds(env.JWT_TTL_SECONDS) };
}

/** The rate limiter backed by RateLimiter Durable Objects. */
export function rateLimiter(env: Env): RateLimiter {
  return durableRateLimiter(env.RATE_LIMITER);
}
