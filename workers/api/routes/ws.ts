/**
 * `GET /v1/im/ws` — the WebSocket upgrade (CONTRACT §6; protocol in docs/websocket.md). The
 * Worker refuses before any upgrade (426 not an upgrade, 403 foreign Origin, 401 bad token),
 * then hands the request to the user's UserSession, which verifies the token again and accepts.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { verifyAccessToken } from "../../../shared/auth/tokens.ts";
import { failure } from "../../../shared/envelope.ts";
import { ERROR_CODE, ForbiddenError, UnauthorizedError } from "../../../shared/errors.ts";
import { errorResponse } from "../../../shared/http/schemas.ts";
import { SESSION_HEADER } from "../../user-session/connect.ts";
import type { AppEnv } from "../env.ts";
import { bearerToken } from "../middleware/auth.ts";
import { originAllowed } from "../middleware/browser.ts";
import { bearerSecurity } from "../route-helpers.ts";
import { createRouter } from "../router.ts";

const JWT_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]+$/;

const connectQuerySchema = z.object({
  token: z.string().optional().openapi({ description: "The token, for clients without headers" }),
  deviceId: z.string().regex(/^[\w.:-]{1,64}$/, "must be 1–64 of A–Z a–z 0–9 _ . : -")
    .optional()
    .openapi({ description: "Stable per device: a reconnect replaces that device's old socket" }),
});

const connect = createRoute({
  method: "get",
  path: "/ws",
  tags: ["chat"],
  security: bearerSecurity,
  summary: "Open the chat WebSocket (protocol in docs/websocket.md)",
  description: "Token in Authorization: Bearer, ?token=, or as the Sec-WebSocket-Protocol " +
    'value (echoed). Heartbeat {"frameType":1} every 30 s; see docs/websocket.md.',
  request: { query: connectQuerySchema },
  responses: {
    101: { description: "Switching Protocols; the first frame is session.ready" },
    400: errorResponse("Invalid deviceId (100002)"),
    401: errorResponse("Token missing, invalid or expired (100003)"),
    403: errorResponse("Origin not in ALLOWED_ORIGINS (100006)"),
    426: errorResponse("Not a WebSocket upgrade request (100002)"),
    429: errorResponse("Over the user's upgrade budget, 30 a minute; see Retry-After (100008)"),
  },
});

/** The token and the subprotocol to echo, from header, query or Sec-WebSocket-Protocol. */
function findToken(c: Context<AppEnv>, queryToken: string | undefined) {
  const header = c.req.header("Authorization");
  if (header !== undefined) return { token: bearerToken(header) };
  if (queryToken !== undefined) return { token: queryToken };
  // Browsers cannot set headers on a WebSocket: they offer the token as a subprotocol, and the
  // answer must name the offered value it accepts.
  const offered = (c.req.header("Sec-WebSocket-Protocol") ?? "").split(",").map((p) => p.trim());
  const token = offered.find((protocol) => JWT_SHAPE.test(protocol));
  return { token, protocol: token };
}

/** True when `origin` may open sockets: no Origin (not a browser), no list, or listed. */
export const wsRoutes = createRouter().openapi(connect, async (c) => {
  if (c.req.header("Upgrade")?.toLowerCase() !== "websocket") {
    const msg = "this endpoint only accepts WebSocket upgrades (Upgrade: websocket)";
    return c.json(failure(ERROR_CODE.invalidParams, msg), 426, { Upgrade: "websocket" });
  }
  if (!originAllowed(c.req.header("Origin"), c.env)) {
    throw new ForbiddenError("Origin is not allowed to open WebSockets");
  }
  const { token, protocol } = findToken(c, c.req.valid("query").token);
  if (!token) {
    throw new UnauthorizedError(
      "a token is required: Authorization: Bearer, ?token= or Sec-WebSocket-Protocol",
    );
  }
  const { userId } = await verifyAccessToken(token, { secret: c.env.JWT_SECRET });

  const headers = new Headers({ Upgrade: "websocket", [SESSION_HEADER.token]: token });
  if (protocol) headers.set(SESSION_HEADER.protocol, protocol);
  const deviceId = c.req.valid("query").deviceId;
  if (deviceId) headers.set(SESSION_HEADER.device, deviceId);
  const session = c.env.USER_SESSION.getByName(userId);
  return session.fetch(new Request("https://user-session/connect", { headers }));
});
