/** API shapes of chat (CONTRACT §5, the chat methods of §6), for routes, frames and the docs. */
import { z } from "@hono/zod-openapi";
import { idSchema } from "../http/schemas.ts";

/** Conversation ids are checked in depth by parseConversationId; this bounds the raw string. */
export const conversationIdSchema = z.string().min(1).max(65)
  .openapi({
    description: "single: the two user ids sorted and joined with _; group: the group id",
  });

export const chatTypeSchema = z.union([z.literal(1), z.literal(2)])
  .openapi({ description: "1 group · 2 single" });

const seqSchema = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const seqQuerySchema = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const messageBodySchema = z.object({
  mType: z.number().int().openapi({
    description: "0 text · 1 image (URL) · 2 file (URL) · 3 custom (JSON)",
  }),
  content: z.string(),
});

/** A client's idempotency key: a UUID or any short opaque string. */
export const clientMsgIdSchema = z.string().min(1).max(64);

export const sendBodySchema = z.object({
  chatType: chatTypeSchema,
  recvId: idSchema,
  msg: messageBodySchema,
  clientMsgId: clientMsgIdSchema,
}).openapi("SendBody");

/** `conversation.chat` frame data; the frame's `id` is the idempotency key. */
export const chatFrameDataSchema = z.object({
  conversationId: conversationIdSchema.optional(),
  chatType: chatTypeSchema,
  recvId: idSchema,
  msg: messageBodySchema,
});

export const markChatFrameDataSchema = z.object({
  conversationId: conversationIdSchema,
  seq: seqSchema,
});

/** At most this many conversations per `conversation.sync` request. */
export const MAX_SYNC_CONVERSATIONS = 100;

export const syncFrameDataSchema = z.object({
  conversations: z.record(conversationIdSchema, seqSchema).refine(
    (value) => Object.keys(value).length <= MAX_SYNC_CONVERSATIONS,
    { message: `at most ${MAX_SYNC_CONVERSATIONS} conversations per request` },
  ),
});

export const setupBodySchema = z.object({
  recvId: idSchema,
  chatType: chatTypeSchema,
}).openapi("SetupConversationBody");

/** At most this many conversations per `PUT /v1/im/conversation`. */
export const MAX_CONVERSATION_UPDATES = 100;

export const updateConversationsBodySchema = z.object({
  conversationList: z.record(
    conversationIdSchema,
    z.object({ read: seqSchema.optional(), isShow: z.boolean().optional() }),
  ).refine((value) => Object.keys(value).length <= MAX_CONVERSATION_UPDATES, {
    message: `at most ${MAX_CONVERSATION_UPDATES} conversations per request`,
  }),
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

export const chatLogSchema = z.object({
  msgId: z.string(),
  conversationId: z.string(),
  chatType: z.number().int(),
  sendId: z.string(),
  recvId: z.string(),
  seq: z.number().int(),
  mType: z.number().int(),
  content: z.string(),
  sendTime: z.number().int().openapi({ description: "Unix milliseconds" }),
}).openapi("ChatLog");

export const sendAckSchema = z.object({
  msgId: z.string(),
  conversationId: z.string(),
  seq: z.number().int(),
  sendTime: z.number().int(),
}).openapi("SendAck");

export const conversationSchema = z.object({
  conversationId: z.string(),
  chatType: z.number().int(),
  targetId: z.string(),
  isShow: z.boolean(),
  seq: z.number().int(),
  read: z.number().int(),
  total: z.number().int(),
  unread: z.number().int(),
  lastMsg: chatLogSchema.nullable(),
}).openapi("Conversation");
