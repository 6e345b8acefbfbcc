/**
 * The WebSocket protocol as one typed table (CONTRACT §6): per client method the schema of its
 * `data` and of its ack, and per server push the shape of its frame. The session validates
 * with these schemas and its handlers are typed by them, so a handler that acks the wrong shape,
 * or a push built with the wrong data, does not compile.
 */
import { z } from "zod";
import {
  chatFrameDataSchema,
  type ChatLog,
  conversationIdSchema,
  type ConversationSummary,
  editBodySchema,
  markChatFrameDataSchema,
  recallBodySchema,
  sendAckSchema,
  syncFrameDataSchema,
} from "../chat/schemas.ts";
import {
  type EditedMessage,
  editedMessageSchema,
  type PinChange,
  type ReactionChange,
  reactionChangeSchema,
  type Recall,
  recallSchema,
} from "../chat/change-schemas.ts";
import type { GroupNotice } from "../social/events.ts";
import type { SocialPush } from "../social/pushes.ts";
import { reactFrameDataSchema, type ReadCount } from "../chat/reaction-schemas.ts";

/** `{[userId]: online}`: the `user.online` ack and the presence routes' `data`. */
export const onlineListSchema = z.object({ onlineList: z.record(z.string(), z.boolean()) });
export type OnlineList = z.infer<typeof onlineListSchema>;

/** An ack that carries nothing: `{}`. */
const emptyAckSchema = z.record(z.string(), z.never());

/** Requests a client may send (`frameType: 0` with `method`): `data` in, ack `data` out. */
export const CLIENT_METHODS = {
  /** The frame `id` is the idempotency key: a resent frame gets the original ack. */
  "conversation.chat": { data: chatFrameDataSchema, ack: sendAckSchema },
  "conversation.markChat": {
    data: markChatFrameDataSchema,
    ack: z.object({ conversationId: z.string(), read: z.number().int() }),
  },
  /**
   * The messages after each lastSeqSeen arrive as `push` frames before the ack; with `changes`,
   * the recalls and edits after each last change seq seen arrive as `recall`/`edit` frames.
   */
  "conversation.sync": {
    data: syncFrameDataSchema,
    ack: z.object({
      conversations: z.record(z.string(), z.number().int()),
      changes: z.record(z.string(), z.number().int()).optional(),
    }),
  },
  /** Idempotent: a repeat answers as the first did. */
  "conversation.recall": { data: recallBodySchema, ack: recallSchema },
  /** Idempotent: the same text again answers as the first did. */
  "conversation.edit": { data: editBodySchema, ack: editedMessageSchema },
  "conversation.typing": {
    data: z.object({ conversationId: conversationIdSchema }),
    ack: emptyAckSchema,
  },
  /** Idempotent: reacting as one already has (or taking back what is not there) changes nothing. */
  "conversation.react": { data: reactFrameDataSchema, ack: reactionChangeSchema },
  /** Anything in `data` is ignored. */
  "user.online": { data: z.object({}), ack: onlineListSchema },
} as const satisfies Record<string, { data: z.ZodType; ack: z.ZodType }>;

export type MethodName = keyof typeof CLIENT_METHODS;
/** True when `method` is a method a client may call. */
export function isMethodName(method: string): method is MethodName {
  return Object.hasOwn(CLIENT_METHODS, method);
}

/** A method's `data`, as its schema parses it (conversation ids parsed). */
export type MethodData<M extends MethodName> = z.output<(typeof CLIENT_METHODS)[M]["data"]>;
/** A method's ack `data`. */
export type MethodAck<M extends MethodName> = z.output<(typeof CLIENT_METHODS)[M]["ack"]>;

/**
 * One conversation's counters in `session.ready`: its row of the list, with the last message left
 * out (not null) for conversations past the frame's budget (see SESSION_READY_LAST_MSG_BYTES).
 */
export type ReadyConversation =
  & Pick<
    ConversationSummary,
    "seq" | "read" | "unread" | "mentionUnread" | "changeSeq" | "muted" | "pinned"
  >
  & { lastMsg?: ConversationSummary["lastMsg"] };

/** Every push the server sends (`frameType: 0` with `method`): one member per method. */
export type ServerPush =
  /** A new message; `formId` is its sender. */
  | { method: "push"; data: ChatLog; formId: string }
  /** A message was recalled: its content is gone, its seq stays. */
  | { method: "recall"; data: Recall }
  /** A message was edited: the whole message as it is now. */
  | { method: "edit"; data: EditedMessage }
  /** Someone reacted to a message, or took a reaction back (a change: it has a change seq). */
  | { method: "reaction"; data: ReactionChange }
  /** A message was pinned or unpinned (a change: it has a change seq). */
  | { method: "pin"; data: PinChange }
  /** To a group message's sender: how many members have read each of their recent messages. */
  | { method: "read.count"; data: ReadCount }
  /** The group's notice changed. */
  | { method: "group.notice"; data: GroupNotice }
  /** To the user's own sockets: messages they hid from their own history (DELETE chatlog). */
  | {
    method: "chatlog.deleted";
    data: { conversationId: string; msgIds: string[]; upToSeq: number };
  }
  /** To the other side of a single chat: `userId` has read up to `read`. */
  | { method: "markChat"; data: { conversationId: string; userId: string; read: number } }
  /** `userId` is typing; never stored. */
  | { method: "typing"; data: { conversationId: string; userId: string } }
  /** The first frame on every socket: the most recently active conversations' counters. */
  | {
    method: "session.ready";
    data: { userId: string; conversations: Record<string, ReadyConversation> };
  }
  /** Friends, requests, invitations, groups and presence (CONTRACT §14; social/pushes.ts). */
  | SocialPush;

export type PushMethod = ServerPush["method"];
/** The `data` of push `M`. */
export type PushData<M extends PushMethod> = Extract<ServerPush, { method: M }>["data"];
