/**
 * Every answer carries an `X-Request-Id` (the client's when it sent a sane one, else a new id),
 * and every request ends with one JSON log line: method, path, status, ms, request id, and the
 * user when the token named one (CONTRACT §9).
 */
import { createMiddleware } from "hono/factory";
import { newId } from "../../../shared/ids.ts";
import { logInfo } from "../../../shared/log.ts";
import type { AppEnv } from "../env.ts";

export const REQUEST_ID_HEADER = "X-Request-Id";

/** A client's id is kept when it is short and plain; anything else is replaced. */
const SANE_REQUEST_ID = /^[\w.:-]{1,128}$/;

export const requestLog = createMiddleware<AppEnv>(async (c, next) => {
  const started = performance.now();
  const offered = c.req.header(REQUEST_ID_HEADER);
  const requestId = offered !== undefined && SANE_REQUEST_ID.test(offered) ? offered : newId();
  c.set("requestId", requestId);
  await next();
  // A WebSocket upgrade's 101 carries no headers of ours; everything else does.
  if (c.res.status !== 101) c.res.headers.set(REQUEST_ID_HEADER, requestId);
  logInfo({
    msg: "request",
    method: c.req.method,
    path: c.req.path,
    status: c.res.status,
    ms: Math.round((performance.now() - started) * 10) / 10,
    requestId,
    userId: c.get("userId"),
  });
});
