/** The one place where thrown errors become HTTP answers with the contract's envelope. */
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { AppError, ERROR_CODE, RateLimitedError } from "../../shared/errors.ts";
import { failure } from "../../shared/envelope.ts";
import { errorFields, logError } from "../../shared/log.ts";

/** Hono `onError`: typed errors keep their status and code; anything else is a logged 500. */
export function answerError(error: Error, c: Context): Response {
  if (error instanceof AppError) {
    if (error instanceof RateLimitedError) {
      c.header("Retry-After", String(error.retryAfterSeconds));
    }
    return c.json(failure(error.code, error.message), error.status);
  }
  if (error instanceof HTTPException && error.status === 400) {
    // Hono's validator throws this for a body that is not valid JSON.
    return c.json(failure(ERROR_CODE.invalidParams, "body is not valid JSON"), 400);
  }
  if (error instanceof HTTPException && error.status === 415) {
    // The OpenAPI layer's media-type gate: the contract answers every bad input with 400.
    const msg = "body must be JSON (Content-Type: application/json)";
    return c.json(failure(ERROR_CODE.invalidParams, msg), 400);
  }
  logError({
    msg: "unhandled error",
    method: c.req.method,
    path: c.req.path,
    requestId: c.get("requestId"),
    userId: c.get("userId"),
    ...errorFields(error),
  });
  return c.json(failure(ERROR_CODE.internal, "internal error"), 500);
}

/** Hono `notFound`: unknown paths get the envelope too. */
export function answerNotFound(c: Context): Response {
  return c.json(failure(ERROR_CODE.notFound, `no route for ${c.req.method} ${c.req.path}`), 404);
}
