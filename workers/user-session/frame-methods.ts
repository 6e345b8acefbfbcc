/**
 * How the session answers each method a socket may call (shared/protocol CLIENT_METHODS), from
 * the session's parts: mostly the user's limit, then one typed ask of the Conversation
 * (`askConversation`). `answerFrame` checks the method and its `data` and turns errors into
 * error frames for all of them at once; UserSession.webSocketMessage admits the frame and keeps
 * the socket's order before it gets here.
 */
import type { ParsedConversationId } from "../../shared/chat/conversation-id.ts";
import { askConversation } from "../../shared/chat/conversation-asks.ts";
import {
  type OutgoingMessage,
  type SendAck,
  sendToConversation,
} from "../../shared/chat/service.ts";
import { createDb } from "../../shared/db/client.ts";
import { AppError, ERROR_CODE } from "../../shared/errors.ts";
import { PRESENCE_LOOKUPS, USER_WRITES } from "../../shared/limits.ts";
import {
  ackFrame,
  CLIENT_METHODS,
  errorFrame,
  isMethodName,
  type MethodAck,
  type MethodData,
  type MethodName,
  pushFrame,
  type RequestFrame,
  type ServerFrame,
} from "../../shared/protocol/index.ts";
import { describeIssues } from "../../shared/validation.ts";
import { syncConversations } from "./conversation-sync.ts";
import type { ConversationList } from "./conversation-list.ts";
import { listFriendsOnline } from "./presence.ts";
import type { SocketPushes } from "./socket-pushes.ts";
import type { UserLimits } from "./user-limits.ts";

/** What a method's answer may use: the session's state and bindings. */
export interface SessionParts {
  env: Env;
  /** The session's user: the one calling every method. */
  userId: string;
  list: ConversationList;
  /** The user's rate limits, shared by every socket and the HTTP routes (user-limits.ts). */
  limits: UserLimits;
  pushes: SocketPushes;
}

/** Answers one method: its parsed `data` in, its ack `data` out (or an AppError thrown). */
type FrameMethod<M extends MethodName> = (
  parts: SessionParts,
  data: MethodData<M>,
  request: RequestFrame,
  ws: WebSocket,
) => Promise<MethodAck<M>>;

export const FRAME_METHODS: { [M in MethodName]: FrameMethod<M> } = {
  "conversation.chat": (parts, data, request) => sendMessage(parts, data, request.id),
  "conversation.markChat": async (parts, { conversationId, seq }) => {
    // The socket form of PUT /v1/im/conversation's read: the same write, the same limit.
    parts.limits.takeOrThrow([USER_WRITES], "too many writes");
    const read = await markRead(parts, conversationId, seq);
    return { conversationId: conversationId.conversationId, read };
  },
  "conversation.sync": (parts, data, _request, ws) => syncConversations(parts, ws, data),
  "conversation.recall": ({ env, userId, limits }, { conversationId, msgId }) => {
    limits.takeOrThrow([USER_WRITES], "too many writes");
    return askConversation(env, conversationId, userId, "recall", { msgId });
  },
  "conversation.edit": ({ env, userId, limits }, { conversationId, msgId, content }, request) => {
    limits.takeOrThrow([USER_WRITES], "too many writes");
    // The frame id is the edit's request id, as it is a send's idempotency key.
    const edit = { msgId, content, key: request.id };
    return askConversation(env, conversationId, userId, "edit", edit);
  },
  "conversation.typing": (parts, { conversationId }) => relayTyping(parts, conversationId),
  "conversation.react": ({ env, userId, limits }, { conversationId, ...reaction }) => {
    limits.takeOrThrow([USER_WRITES], "too many writes");
    return askConversation(env, conversationId, userId, "react", reaction);
  },
  "user.online": ({ env, userId, limits }) => {
    limits.takeOrThrow([PRESENCE_LOOKUPS], "too many presence look-ups");
    return listFriendsOnline(createDb(env), env.USER_SESSION, userId);
  },
};

/** The ack or error frame of one request; never throws. */
export function answerFrame(
  parts: SessionParts,
  request: RequestFrame,
  ws: WebSocket,
): Promise<ServerFrame> {
  if (!isMethodName(request.method)) {
    const msg = `unknown method "${request.method}"`;
    return Promise.resolve(errorFrame(request.id, ERROR_CODE.invalidParams, msg));
  }
  return runMethod(parts, request.method, request, ws);
}

async function runMethod<M extends MethodName>(
  parts: SessionParts,
  method: M,
  request: RequestFrame,
  ws: WebSocket,
): Promise<ServerFrame> {
  // A missing `data` is validated as `{}`.
  const data = CLIENT_METHODS[method].data.safeParse(request.data ?? {});
  if (!data.success) {
    const msg = `invalid data: ${describeIssues(data.error)}`;
    return errorFrame(request.id, ERROR_CODE.invalidParams, msg);
  }
  const answer: FrameMethod<M> = FRAME_METHODS[method];
  try {
    const ack = await answer(parts, data.data as MethodData<M>, request, ws);
    return ackFrame(method, request.id, ack);
  } catch (error) {
    if (error instanceof AppError) return errorFrame(request.id, error.code, error.message);
    console.error(`UserSession ${parts.userId}: ${method} failed:`, error);
    return errorFrame(request.id, ERROR_CODE.internal, "internal error");
  }
}

/**
 * A message from this user, over a socket or HTTP: the user's message token is taken before
 * anything else, so a burst over the limit sends nothing.
 */
export function sendMessage(
  { env, userId, limits }: SessionParts,
  outgoing: OutgoingMessage,
  clientMsgId: string,
): Promise<SendAck> {
  limits.takeMessage();
  return sendToConversation(env, userId, outgoing, clientMsgId);
}

/** Marks read up to `seq` in the conversation's object, then in the list; the read seq. */
export async function markRead(
  { env, userId, list }: SessionParts,
  conversation: ParsedConversationId,
  seq: number,
): Promise<number> {
  const read = await askConversation(env, conversation, userId, "markRead", { seq });
  list.markRead(conversation.conversationId, read);
  return read;
}

/**
 * `conversation.typing`: relayed to the conversation's other members' sockets, never stored.
 * The conversation's membership cache decides who, exactly as it does for a send.
 */
async function relayTyping(
  { env, userId, limits }: SessionParts,
  conversation: ParsedConversationId,
): Promise<MethodAck<"conversation.typing">> {
  const { conversationId } = conversation;
  // At most one relayed per conversation per TYPING_RELAY_INTERVAL_MS: extras are acked and
  // dropped. The slot is taken before the await (two sockets racing relay once) and given
  // back when the caller may not type here, so a stranger's hint is refused every time.
  if (!limits.takeTyping(conversationId)) return {};
  let audience: string[];
  try {
    audience = await askConversation(env, conversation, userId, "typingAudience", null);
  } catch (error) {
    limits.giveBackTyping(conversationId);
    throw error;
  }
  const frame = pushFrame("typing", { conversationId, userId });
  // Best effort: a typing hint that misses an object is not worth an error or a retry.
  await Promise.allSettled(audience.map((id) => env.USER_SESSION.getByName(id).push(frame)));
  return {};
}
