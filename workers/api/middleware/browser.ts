/**
 * What browsers need from the HTTP API (CONTRACT §9, §15): CORS for the origins in
 * ALLOWED_ORIGINS (any origin while the list is empty, for local development, but never the
 * opaque origin `null`) and standard security headers.
 */
import type { MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import { secureHeaders } from "hono/secure-headers";
import type { AppEnv } from "../env.ts";
import { REQUEST_ID_HEADER } from "./request-log.ts";

/** The configured origins; an empty list allows any. */
export function allowedOrigins(env: Pick<Env, "ALLOWED_ORIGINS">): string[] {
  return (env.ALLOWED_ORIGINS ?? "").split(",").map((origin) => origin.trim()).filter(Boolean);
}

/**
 * The origin browsers send from sandboxed iframes, `data:` and `file:` pages and some redirects:
 * any page can make itself `null`, so allowing it would allow everyone, even with a list.
 */
const OPAQUE_ORIGIN = "null";

/**
 * True when a request from `origin` may be answered: no Origin (not a browser), or a real origin
 * that is listed or, with no list, any.
 */
export function originAllowed(origin: string | undefined, env: Pick<Env, "ALLOWED_ORIGINS">) {
  if (origin === undefined) return true;
  if (origin.trim() === OPAQUE_ORIGIN) return false;
  const list = allowedOrigins(env);
  return list.length === 0 || list.includes(origin);
}

/** CORS: preflights answered, `Access-Control-Allow-Origin` on every answer to an allowed origin. */
export const corsForAllowedOrigins: MiddlewareHandler<AppEnv> = cors({
  // Tokens travel in Authorization, never in cookies: no credentials mode is needed.
  origin: (origin, c) => (originAllowed(origin, c.env) ? origin : null),
  allowMethods: ["GET", "POST", "PUT", "DELETE"],
  // Range and X-File-Name: media reads and uploads (CONTRACT §11).
  allowHeaders: [
    "Authorization",
    "Content-Type",
    "Idempotency-Key",
    "Range",
    "X-File-Name",
    REQUEST_ID_HEADER,
  ],
  exposeHeaders: [REQUEST_ID_HEADER, "Retry-After", "ETag", "Content-Range", "Content-Disposition"],
  maxAge: 600,
});

/**
 * nosniff, no framing, no referrer leaks on every answer; HTML pages (the API reference) get a
 * Content-Security-Policy that allows only this origin and the pinned reference script's CDN.
 */
export const securityHeaders = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'", "https://cdn.jsdelivr.net"],
    styleSrc: ["'self'", "'unsafe-inline'", "https://cdn.jsdelivr.net"],
    imgSrc: ["'self'", "data:", "https:"],
    connectSrc: ["'self'"],
    fontSrc: ["'self'", "https://cdn.jsdelivr.net", "data:"],
    frameAncestors: ["'none'"],
    baseUri: ["'none'"],
    formAction: ["'none'"],
  },
  crossOriginResourcePolicy: "cross-origin",
  crossOriginOpenerPolicy: false,
});
