/**
 * Method names (requests the client sends, pushes the server sends) and the `data` schemas of
 * the session's own requests. The chat requests' schemas belong to the messaging code.
 */
import { z } from "zod";
import { conversationIdSchema } from "../chat/schemas.ts";

/** Requests a client may send (`frameType: 0` with `method`). */
export const METHOD = {
  chat: "conversation.chat",
  markChat: "conversation.markChat",
  sync: "conversation.sync",
  typing: "conversation.typing",
  userOnline: "user.online",
} as const satisfies Record<string, string>;

export type MethodName = (typeof METHOD)[keyof typeof METHOD];

/** Pushes the server sends (`frameType: 0` with `method`). */
export const PUSH_METHOD = {
  message: "push",
  markChat: "markChat",
  typing: "typing",
  sessionReady: "session.ready",
} as const satisfies Record<string, string>;

export type PushMethodName = (typeof PUSH_METHOD)[keyof typeof PUSH_METHOD];

/** `conversation.typing` in: `{conversationId}`; ack `{}`. */
export const typingDataSchema = z.object({ conversationId: conversationIdSchema });
export type TypingData = z.infer<typeof typingDataSchema>;

/** `user.online` in: `{}` (anything else is ignored). */
export const userOnlineDataSchema = z.object({});

/** `user.online` ack and the presence routes' `data`. */
export interface OnlineList {
  onlineList: Record<string, boolean>;
}

/** `typing` push data; never stored. */
export interface TypingPush {
  conversationId: string;
  userId: string;
}

/** One conversation's counters in `session.ready`. */
export interface ReadyConversation {
  seq: number;
  read: number;
  unread: number;
}

/** `session.ready` push data: the first frame on every socket. */
export interface SessionReadyPush {
  userId: string;
  conversations: Record<string, ReadyConversation>;
}
