/**
 * The object's side of `GET /v1/im/ws`: verify the token again (the object trusts no caller),
 * then (once the list has caught up, index.ts) make room (same device replaced, then the oldest
 * beyond 8 closed with 4002), accept the socket for hibernation with its state in the
 * attachment, say `session.ready`, arm the alarm.
 */
import { verifyAccessToken } from "../../shared/auth/tokens.ts";
import { failure } from "../../shared/envelope.ts";
import { AppError, ERROR_CODE } from "../../shared/errors.ts";
import { newId } from "../../shared/ids.ts";
import {
  SESSION_READY_CONVERSATIONS,
  SESSION_READY_LAST_MSG_BYTES,
  SOCKET_UPGRADES,
} from "../../shared/limits.ts";
import { utf8ByteLength } from "../../shared/text.ts";
import { pushFrame, type ReadyConversation } from "../../shared/protocol/index.ts";
import { idleTimeoutMs, rearmAlarm } from "./alarm.ts";
import type { ConversationList } from "./conversation-list.ts";
import { fullBucket } from "./token-bucket.ts";
import type { TokenState } from "./token-state.ts";
import type { UserLimits } from "./user-limits.ts";
import { deviceTag, evictForNewSocket, sendFrame, writeAttachment } from "./sockets.ts";

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

/**
 * `session.ready`'s `conversations`: the SESSION_READY_CONVERSATIONS most recently active ones
 * of the user's list with their counters, change seq and last message (one read of the
 * session's own storage). Last messages stop at SESSION_READY_LAST_MSG_BYTES: the rows after
 * that leave `lastMsg` out, and GET /v1/im/conversation has them.
 */
function readyConversations(list: ConversationList): Record<string, ReadyConversation> {
  const ready: Record<string, ReadyConversation> = {};
  let budget = SESSION_READY_LAST_MSG_BYTES;
  for (const row of list.recent(SESSION_READY_CONVERSATIONS)) {
    const { seq, read, unread, mentionUnread, changeSeq, muted, pinned, lastMsg } = row;
    const entry: ReadyConversation = { seq, read, unread, mentionUnread, changeSeq, muted, pinned };
    const size = lastMsg ? utf8ByteLength(JSON.stringify(lastMsg)) : 4;
    if (size <= budget) {
      entry.lastMsg = lastMsg;
      budget -= size;
    } else {
      budget = 0;
    }
    ready[row.conversationId] = entry;
  }
  return ready;
}

/**
 * An upgrade forwarded for `owner`'s session: its verified token and a slot of the user's
 * upgrade budget (SOCKET_UPGRADES, taken before the catch-up and the `session.ready` an upgrade
 * costs), or the refusal to answer with.
 */
export async function admitUpgrade(
  env: Env,
  request: Request,
  owner: string,
  limits: UserLimits,
): Promise<VerifiedUpgrade | Response> {
  const verified = await verifyUpgrade(env, request, owner);
  return verified instanceof Response ? verified : takeUpgrade(limits) ?? verified;
}

/** A slot of the user's upgrade budget; the 429 to answer when there is none. */
function takeUpgrade(limits: UserLimits): Response | undefined {
  const taken = limits.take([SOCKET_UPGRADES]);
  if (taken.ok) return undefined;
  const msg =
    `too many connects: at most ${SOCKET_UPGRADES.limit} a minute, retry in ${taken.retryAfter} s`;
  const response = refuse(429, ERROR_CODE.rateLimited, msg);
  response.headers.set("Retry-After", String(taken.retryAfter));
  return response;
}

/** A verified upgrade request: whose token it carries. */
export type VerifiedUpgrade = Awaited<ReturnType<typeof verifyAccessToken>>;

/**
 * Checks an upgrade forwarded by the Worker for `owner`'s session: the verified token, or the
 * refusal to answer with.
 */
export async function verifyUpgrade(
  env: Env,
  request: Request,
  owner: string,
): Promise<VerifiedUpgrade | Response> {
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
  if (verified.userId !== owner) {
    return refuse(403, ERROR_CODE.forbidden, "this session belongs to another user");
  }
  return verified;
}

/**
 * Accepts a verified upgrade: makes room, accepts the socket for hibernation, says
 * `session.ready` from the list as it is now. Synchronous up to the alarm, so a revocation
 * checked here cannot slip in before the socket is accepted.
 */
export async function acceptSocket(
  ctx: DurableObjectState,
  env: Env,
  request: Request,
  verified: VerifiedUpgrade,
  list: ConversationList,
  tokens: TokenState,
): Promise<Response> {
  const { userId, expire, jti, version } = verified;
  if (tokens.isRevoked(jti, version)) {
    return refuse(401, ERROR_CODE.unauthorized, "token has been revoked");
  }

  const ready = { userId, conversations: readyConversations(list) };
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
    jti,
    tokenVersion: version,
    lastMessageAt: now,
    frames: 0,
    bucket: fullBucket(now),
    recent: "",
    flooded: false,
  });
  // Read before the socket was accepted, so it is always the socket's first frame.
  sendFrame(server, pushFrame("session.ready", ready));
  await rearmAlarm(ctx, idleTimeoutMs(env));

  const headers = new Headers();
  const protocol = request.headers.get(SESSION_HEADER.protocol);
  if (protocol) headers.set("Sec-WebSocket-Protocol", protocol);
  return new Response(null, { status: 101, webSocket: client, headers });
}
