/**
 * Chat's data shapes (CONTRACT §5, the chat methods of §6), each written once: a zod schema for
 * routes, frames and the OpenAPI document, and the type inferred from it.
 */
import { z } from "@hono/zod-openapi";
import { idSchema } from "../http/schemas.ts";
import { MAX_DELETE_MSG_IDS, MAX_MENTIONS, SYNC_CHANGES_BATCH_SIZE } from "../limits.ts";
import { chatLogMediaSchema, mediaRefSchema } from "../media/schemas.ts";
import { type ParsedConversationId, readConversationId } from "./conversation-id.ts";

/** Longest conversation id: two 32-character ids and the "_" between them. */
const MAX_CONVERSATION_ID_LENGTH = 65;

/** A conversation id from a client, parsed where it enters (a malformed one is a 400). */
export const conversationIdSchema = z.string().max(MAX_CONVERSATION_ID_LENGTH)
  .transform((text, ctx) => {
    const parsed = readConversationId(text);
    if (parsed) return parsed;
    ctx.addIssue({ code: "custom", message: "not a conversation id" });
    return z.NEVER;
  })
  .openapi({
    description: "single: the two user ids sorted and joined with _; group: the group id",
  });

/**
 * `{[conversationId]: value}` from a client, at most `max` entries, its ids parsed: the output
 * is a list of `[conversation, value]`.
 */
function conversationRecordSchema<T extends z.ZodType>(value: T, max: number) {
  return z.record(z.string().max(MAX_CONVERSATION_ID_LENGTH), value).transform((record, ctx) => {
    const entries = Object.entries(record) as [string, z.output<T>][];
    if (entries.length > max) {
      ctx.addIssue({ code: "custom", message: `at most ${max} conversations per request` });
      return z.NEVER;
    }
    const parsed: [ParsedConversationId, z.output<T>][] = [];
    for (const [text, entry] of entries) {
      const conversation = readConversationId(text);
      if (conversation) parsed.push([conversation, entry]);
      else ctx.addIssue({ code: "custom", path: [text], message: "not a conversation id" });
    }
    return parsed;
  });
}

const M_TYPE_DESCRIPTION = "0 text · 1 image (URL, or msg.media) · 2 file (URL, or msg.media) · " +
  "3 custom (JSON) · 4 voice (msg.media)";

export const chatTypeSchema = z.union([z.literal(1), z.literal(2)])
  .openapi({ description: "1 group · 2 single" });

const mTypeSchema = z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3), z.literal(4)])
  .openapi({ description: M_TYPE_DESCRIPTION });

const seqSchema = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const seqQuerySchema = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** A message as sent; mType and content are checked by checkMessageContent, for both paths. */
export const messageBodySchema = z.object({
  mType: z.number().int().openapi({ description: M_TYPE_DESCRIPTION }),
  content: z.string().openapi({ description: "the text, URL, JSON, or a media's caption" }),
  media: mediaRefSchema.optional(),
});

/** A client's idempotency key: a UUID or any short opaque string. */
export const clientMsgIdSchema = z.string().min(1).max(64);

/** `mentions: "all"`: every member (creator and managers only). */
export const MENTION_ALL = "all";

/** Who a group message mentions: member ids, or `["all"]` alone. */
const mentionsSchema = z.array(z.union([idSchema, z.literal(MENTION_ALL)])).max(MAX_MENTIONS)
  .refine((ids) => !ids.includes(MENTION_ALL) || ids.length === 1, {
    message: `"${MENTION_ALL}" stands alone: mention everyone or a list of members`,
  })
  .openapi({ description: `group members' ids (at most ${MAX_MENTIONS}), or ["all"]` });

/** What a send may carry besides the message: the message it answers and who it mentions. */
const sendExtrasShape = {
  replyTo: idSchema.optional().openapi({ description: "msgId of the message this answers" }),
  mentions: mentionsSchema.optional(),
};

export const sendBodySchema = z.object({
  chatType: chatTypeSchema,
  recvId: idSchema,
  msg: messageBodySchema,
  clientMsgId: clientMsgIdSchema,
  ...sendExtrasShape,
}).openapi("SendBody");

/** `conversation.chat` frame data; the frame's `id` is the idempotency key. */
export const chatFrameDataSchema = z.object({
  /** Optional; when given it must name the conversation chatType + recvId address. */
  conversationId: z.string().max(MAX_CONVERSATION_ID_LENGTH).optional(),
  chatType: chatTypeSchema,
  recvId: idSchema,
  msg: messageBodySchema,
  ...sendExtrasShape,
});

/** `POST /v1/im/chat/recall` body and `conversation.recall` data. */
export const recallBodySchema = z.object({
  conversationId: conversationIdSchema,
  msgId: idSchema,
}).openapi("RecallBody");

/** `PUT /v1/im/chat` body and `conversation.edit` data: the new text. */
export const editBodySchema = z.object({
  conversationId: conversationIdSchema,
  msgId: idSchema,
  content: z.string(),
  clientEditId: clientMsgIdSchema.optional().openapi({
    description: "HTTP: the edit's request id; a retry with it changes nothing " +
      "(over the socket the frame id is used)",
  }),
}).openapi("EditBody");

/** `DELETE /v1/im/chatlog`: hide messages from your own history, by id and/or up to a seq. */
export const deleteChatlogBodySchema = z.object({
  conversationId: conversationIdSchema,
  msgIds: z.array(idSchema).min(1).max(MAX_DELETE_MSG_IDS).optional(),
  upToSeq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional()
    .openapi({ description: "hide every message up to this seq (clear history)" }),
}).refine((body) => body.msgIds !== undefined || body.upToSeq !== undefined, {
  message: "give msgIds, upToSeq or both",
  path: ["msgIds"],
}).openapi("DeleteChatlogBody");

/** `GET /v1/im/chatlog/changes`: recalls and edits after a change seq. */
export const changesQuerySchema = z.object({
  conversationId: conversationIdSchema,
  afterChangeSeq: seqQuerySchema.default(0),
  count: z.coerce.number().int().min(1).max(SYNC_CHANGES_BATCH_SIZE).default(100),
});

export const markChatFrameDataSchema = z.object({
  conversationId: conversationIdSchema,
  seq: seqSchema,
});

/** At most this many conversations per `conversation.sync` request. */
export const MAX_SYNC_CONVERSATIONS = 100;

export const syncFrameDataSchema = z.object({
  conversations: conversationRecordSchema(seqSchema, MAX_SYNC_CONVERSATIONS),
  /** Per conversation, the last change seq seen: the recalls and edits after it are pushed. */
  changes: conversationRecordSchema(seqSchema, MAX_SYNC_CONVERSATIONS).optional(),
});

export const setupBodySchema = z.object({
  recvId: idSchema,
  chatType: chatTypeSchema,
}).openapi("SetupConversationBody");

/** At most this many conversations per `PUT /v1/im/conversation`. */
export const MAX_CONVERSATION_UPDATES = 100;

export const updateConversationsBodySchema = z.object({
  conversationList: conversationRecordSchema(
    z.object({
      read: seqSchema.optional(),
      isShow: z.boolean().optional(),
      muted: z.boolean().optional().openapi({
        description: "no push notifications but for mentions of you or all",
      }),
      pinned: z.boolean().optional().openapi({ description: "listed first by the web app" }),
    }),
    MAX_CONVERSATION_UPDATES,
  ),
}).openapi("UpdateConversationsBody");

export const chatlogQuerySchema = z.object({
  conversationId: conversationIdSchema,
  afterSeq: seqQuerySchema.optional(),
  beforeSeq: seqQuerySchema.optional(),
  count: z.coerce.number().int().min(1).max(100).default(50),
});

export const readRecordsQuerySchema = z.object({
  conversationId: conversationIdSchema,
  seq: seqQuerySchema.refine((seq) => seq >= 1, { message: "must be at least 1" }),
});

/** `ChatLog.status` values. */
export const MESSAGE_STATUS = { normal: 0, recalled: 1 } as const;

/** The message a reply answers, as it was when quoted (blanked if it is recalled). */
export const replyToSchema = z.object({
  msgId: z.string(),
  seq: z.number().int(),
  sendId: z.string(),
  preview: z.string().openapi({ description: "the first 100 characters of its content" }),
}).openapi("ReplyTo");

/** One emoji on a message: how many reacted with it, and whether the reader did. */
export const reactionSummarySchema = z.object({
  emoji: z.string(),
  count: z.number().int(),
  me: z.boolean().openapi({ description: "true when the reader reacted with it" }),
}).openapi("ReactionSummary");

/** One stored message as clients see it. */
export const chatLogSchema = z.object({
  msgId: z.string(),
  conversationId: z.string(),
  chatType: chatTypeSchema,
  sendId: z.string(),
  recvId: z.string(),
  seq: z.number().int(),
  mType: mTypeSchema,
  content: z.string().openapi({ description: "empty once recalled" }),
  sendTime: z.number().int().openapi({ description: "Unix milliseconds" }),
  status: z.union([z.literal(0), z.literal(1)]).openapi({ description: "0 normal · 1 recalled" }),
  editTime: z.number().int().openapi({ description: "Unix ms of the last edit; 0 if never" }),
  // A union, not .nullable(): zod-openapi puts .nullable() of a named schema on the shared
  // component, which made every ChatLog `| null` in the generated types.
  replyTo: z.union([replyToSchema, z.null()]),
  mentions: z.array(z.string()).openapi({ description: 'user ids, or ["all"]' }),
  media: z.union([chatLogMediaSchema, z.null()]).openapi({
    description: "the upload an image, file or voice message carries; null otherwise",
  }),
  reactions: z.array(reactionSummarySchema).optional().openapi({
    description: "in answers read for one reader (chatlog, sync pages, pins, search), in " +
      "first-reaction order; pushes leave it out (a new message has none; a client keeps " +
      "the reactions it holds across an edit)",
  }),
}).openapi("ChatLog");

/** The answer to a send: WS `conversation.chat` ack data and POST /v1/im/chat data. */
export const sendAckSchema = z.object({
  msgId: z.string(),
  conversationId: z.string(),
  seq: z.number().int(),
  sendTime: z.number().int(),
}).openapi("SendAck");

/** A row of a user's conversation list (CONTRACT §5 `Conversation`). */
export const conversationSchema = z.object({
  conversationId: z.string(),
  chatType: chatTypeSchema,
  targetId: z.string(),
  isShow: z.boolean(),
  muted: z.boolean().openapi({ description: "your setting: pushes only for mentions" }),
  pinned: z.boolean().openapi({ description: "your setting: listed first" }),
  seq: z.number().int(),
  read: z.number().int(),
  total: z.number().int(),
  unread: z.number().int(),
  mentionUnread: z.number().int().openapi({ description: "unread messages mentioning you or all" }),
  changeSeq: z.number().int().openapi({ description: "the last recall or edit your list has" }),
  lastMsg: z.union([chatLogSchema, z.null()]),
}).openapi("Conversation");

/** `GET /v1/im/chatlog/readRecords` data. */
export const readRecordsSchema = z.object({
  reads: z.array(z.string()),
  unReads: z.array(z.string()),
});

export type MessageBody = z.infer<typeof messageBodySchema>;
export type ReplyTo = z.infer<typeof replyToSchema>;
export type RecallBody = z.output<typeof recallBodySchema>;
export type EditBody = z.output<typeof editBodySchema>;
export type DeleteChatlogBody = z.output<typeof deleteChatlogBodySchema>;
export type ChatLog = z.infer<typeof chatLogSchema>;
export type SendAck = z.infer<typeof sendAckSchema>;
export type ConversationSummary = z.infer<typeof conversationSchema>;
export type ReadRecords = z.infer<typeof readRecordsSchema>;
export type OutgoingMessage = z.infer<typeof chatFrameDataSchema>;
export type ConversationUpdates = z.output<
  typeof updateConversationsBodySchema
>["conversationList"];
