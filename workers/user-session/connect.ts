/**
 * The object's side of `GET /v1/im/ws`: verify the token again (the object trusts no caller),
 * make room (same device replaced, then the oldest beyond 8 closed with 4002), accept the socket
 * for hibernation with its state in the attachment, say `session.ready`, arm the alarm.
 */
import { verifyAccessToken } from "../../shared/auth/tokens.ts";
import { failure } from "../../shared/envelope.ts";
import { AppError, ERROR_CODE } from "../../shared/errors.ts";
import { newId } from "../../shared/ids.ts";
import { PUSH_METHOD, pushFrame, type SessionReadyPush } from "../../shared/protocol/index.ts";
import { idleTimeoutMs, rearmAlarm } from "./alarm.ts";
import { fullBucket } from "./rate.ts";
import { readyConversations } from "./ready.ts";
import {
  deviceTag,
  evictForNewSocket,
  readAttachment,
  sendFrame,
  writeAttachment,
} from "./sockets.ts";

/** Headers the Worker sets on the request it forwards; clients' own copies are never passed. */
export const SESSION_HEADER = {
  token: "X-Session-Token",
  /** The Sec-WebSocket-Protocol value to echo in the 101 answer. */
  protocol: "X-Session-Protocol",
  device: "X-Session-Device",
} as const;

function refuse(status: number, code: number, msg: string): Response {
  return Response.json(failure(code, msg), { status });
}

/** The user this object belongs to: its name, or the user of the sockets it already holds. */
function ownerOf(ctx: DurableObjectState): string | undefined {
  if (ctx.id.name) return ctx.id.name;
  for (const ws of ctx.getWebSockets()) {
    const userId = readAttachment(ws)?.userId;
    if (userId) return userId;
  }
  return undefined;
}

/** Accepts an upgrade forwarded by the Worker, or refuses it with the envelope. */
export async function acceptConnection(
  ctx: DurableObjectState,
  env: Env,
  request: Request,
): Promise<Response> {
  if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") {
    return refuse(426, ERROR_CODE.invalidParams, "expected a WebSocket upgrade");
  }
  let verified;
  try {
    verified = await verifyAccessToken(request.headers.get(SESSION_HEADER.token) ?? "", {
      secret: env.JWT_SECRET,
    });
  } catch (error) {
    if (error instanceof AppError) return refuse(error.status, error.code, error.message);
    throw error;
  }
  const { userId, expire } = verified;
  const owner = ownerOf(ctx);
  if (owner !== undefined && owner !== userId) {
    return refuse(403, ERROR_CODE.forbidden, "this session belongs to another user");
  }

  const conversations = readyConversations(ctx, env);
  const now = Date.now();
  const socketId = newId();
  const deviceId = request.headers.get(SESSION_HEADER.device) || socketId;
  evictForNewSocket(ctx, deviceId);

  const [client, server] = Object.values(new WebSocketPair()) as [WebSocket, WebSocket];
  ctx.acceptWebSocket(server, [deviceTag(deviceId)]);
  writeAttachment(server, {
    userId,
    socketId,
    deviceId,
    connectedAt: now,
    expire,
    lastMessageAt: now,
    frames: 0,
    bucket: fullBucket(now),
    strikes: 0,
  });
  const ready: SessionReadyPush = { userId, conversations };
  sendFrame(server, pushFrame(PUSH_METHOD.sessionReady, ready));
  await rearmAlarm(ctx, idleTimeoutMs(env));

  const headers = new Headers();
  const protocol = request.headers.get(SESSION_HEADER.protocol);
  if (protocol) headers.set("Sec-WebSocket-Protocol", protocol);
  return new Response(null, { status: 101, webSocket: client, headers });
}
