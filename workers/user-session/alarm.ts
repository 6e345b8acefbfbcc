/**
 * Idle and token-expiry closes. One alarm, armed only while sockets exist, set to the earliest
 * moment any socket could be due; when it fires it closes what is due and re-arms. Heartbeats
 * answered by the runtime never wake the object, so activity is read from
 * getWebSocketAutoResponseTimestamp as well as from the attachment.
 */
import { CLOSE_CODE, CLOSE_REASON } from "../../shared/protocol/index.ts";
import { closeSocket, openSockets, readAttachment, type SocketAttachment } from "./sockets.ts";

export const DEFAULT_IDLE_TIMEOUT_SECONDS = 90;

/** IDLE_TIMEOUT_SECONDS in ms, or the 90 s default when unset or not a positive number. */
export function idleTimeoutMs(env: Pick<Env, "IDLE_TIMEOUT_SECONDS">): number {
  const seconds = Number(env.IDLE_TIMEOUT_SECONDS);
  return (Number.isFinite(seconds) && seconds > 0 ? seconds : DEFAULT_IDLE_TIMEOUT_SECONDS) * 1000;
}

/** The last moment the socket showed life: a frame, an auto-answered heartbeat, or connecting. */
export function lastActivityAt(
  ctx: DurableObjectState,
  ws: WebSocket,
  attachment: SocketAttachment,
): number {
  const heartbeat = ctx.getWebSocketAutoResponseTimestamp(ws)?.getTime() ?? 0;
  return Math.max(attachment.connectedAt, attachment.lastMessageAt, heartbeat);
}

type Verdict = { close: "idle" | "tokenExpired" } | { dueAt: number };

function judge(ctx: DurableObjectState, ws: WebSocket, now: number, idleMs: number): Verdict {
  const attachment = readAttachment(ws);
  if (!attachment) return { close: "idle" };
  const expiresAt = attachment.expire * 1000;
  if (expiresAt <= now) return { close: "tokenExpired" };
  const idleAt = lastActivityAt(ctx, ws, attachment) + idleMs;
  if (idleAt <= now) return { close: "idle" };
  return { dueAt: Math.min(expiresAt, idleAt) };
}

/** Closes every socket that is idle (4000) or whose token expired (4001). */
export function closeDueSockets(ctx: DurableObjectState, now: number, idleMs: number): void {
  for (const ws of openSockets(ctx)) {
    const verdict = judge(ctx, ws, now, idleMs);
    if ("close" in verdict) {
      closeSocket(ws, CLOSE_CODE[verdict.close], CLOSE_REASON[verdict.close]);
    }
  }
}

/**
 * Sets the alarm to the next moment a socket may be due, or deletes it when no socket is left.
 * `leaving` is a socket being closed right now, which may still be listed as open.
 */
export async function rearmAlarm(
  ctx: DurableObjectState,
  idleMs: number,
  leaving?: WebSocket,
): Promise<void> {
  const now = Date.now();
  const leavingId = leaving ? readAttachment(leaving)?.socketId : undefined;
  let next = Number.POSITIVE_INFINITY;
  for (const ws of openSockets(ctx)) {
    if (ws === leaving || (leavingId && readAttachment(ws)?.socketId === leavingId)) continue;
    const verdict = judge(ctx, ws, now, idleMs);
    // A socket already due (its close is under way) is looked at again right away.
    next = Math.min(next, "dueAt" in verdict ? verdict.dueAt : now);
  }
  if (next === Number.POSITIVE_INFINITY) {
    await ctx.storage.deleteAlarm();
    return;
  }
  const current = await ctx.storage.getAlarm();
  if (current !== next) await ctx.storage.setAlarm(next);
}
