/** The events and options of a ChatSession (session.ts); docs/sdk.md has the table. */
import type { BackoffOptions } from "./backoff.ts";
import type { PaceOptions } from "./pacer.ts";
import type { ChatLog, PushData, SendAck, SessionReady } from "./protocol.ts";
import type { WebSocketClass, WebSocketFactory } from "./socket.ts";

export type SessionState = "connecting" | "open" | "reconnecting" | "stopped";

/** Why a socket went away, and what happens next. */
export interface Disconnect {
  code: number;
  reason: string;
  /** When the next connect starts (ms); undefined when the session stopped for good. */
  retryInMs: number | undefined;
  /** Connects made since the last `session.ready` (1 after the first failure). */
  attempt: number;
}

export interface ChatSessionEvents {
  state: SessionState;
  /** A socket went away: its close code and reason, and when the next connect starts. */
  disconnect: Disconnect;
  /** Every `session.ready` (each connect): the conversations' seq, read and unread. */
  ready: SessionReady;
  /** A new message, exactly once per conversation + seq, in seq order. */
  message: ChatLog;
  /** This session's send was stored (its ack): the user's own read moved to its seq. */
  sent: SendAck;
  /** This session's markRead was stored: `read` is the user's read seq now. */
  read: { conversationId: string; read: number };
  markChat: PushData<"markChat">;
  typing: PushData<"typing">;
  /** A message was recalled; once per change, never a state older than one handed over. */
  recall: PushData<"recall">;
  /** A message was edited (the whole message as it is now); as `recall`. */
  edit: PushData<"edit">;
  /** Someone reacted or took a reaction back (apply with `applyMessageChange`); as `recall`. */
  reaction: PushData<"reaction">;
  /** A message was pinned or unpinned (apply with `applyPinChange`); as `recall`. */
  pin: PushData<"pin">;
  /** Your group messages' read counts: `{[seq]: readers}` (at most once a second). */
  "read.count": PushData<"read.count">;
  /** A group's notice changed. */
  "group.notice": PushData<"group.notice">;
  /** This user hid messages from their own history (on another device, or this one). */
  "chatlog.deleted": PushData<"chatlog.deleted">;
  // CONTRACT §14, passed on as they come (best effort; the lists are the source of truth).
  "friend.request": PushData<"friend.request">;
  "friend.handled": PushData<"friend.handled">;
  "friend.removed": PushData<"friend.removed">;
  "group.invitation": PushData<"group.invitation">;
  "group.joined": PushData<"group.joined">;
  "group.removed": PushData<"group.removed">;
  presence: PushData<"presence">;
  /** Every push as it came, also those this SDK has no event of its own for. */
  push: { method: string; data: unknown };
  /** The session stopped for good (4001 expired, 4002 replaced, 4003 revoked, or close()). */
  stopped: { code: number; reason: string };
  /** Something the app may want to show: a refused connect, a sync refused, a bad frame. */
  error: Error;
}

export interface ChatSessionOptions {
  /** The service's base URL (http or https; the socket uses ws or wss). Default: page origin. */
  baseUrl?: string;
  /** The access token, read at every connect. */
  token: string | (() => string | Promise<string>);
  /** The fetch media uploads use where there is no XMLHttpRequest (default: the global). */
  fetch?: typeof globalThis.fetch;
  deviceId?: string;
  /** The WebSocket class to use where the runtime has none (Node 20: `ws`'s `WebSocket`). */
  WebSocket?: WebSocketClass;
  /** Opens each socket (tests); wins over `WebSocket`. */
  webSocket?: WebSocketFactory;
  heartbeatMs?: number;
  /** A connect that has not brought `session.ready` by then is given up and retried. */
  readyTimeoutMs?: number;
  /** A plain request (sync, typing, online) unanswered by then fails; the outbox waits. */
  requestTimeoutMs?: number;
  backoff?: BackoffOptions;
  /**
   * Where a conversation the session does not follow yet starts when `session.ready` names it:
   * `"seq"` (default) hands over nothing older (an app pages history over HTTP); `"read"` hands
   * over its unread messages as `message` events (a bot, a notifier: nothing left unanswered).
   */
  startAt?: "seq" | "read";
  /** How fast frames are written (default: 20/s, bursts of 20, at most 40 unanswered). */
  pace?: PaceOptions;
  random?: () => number;
}
