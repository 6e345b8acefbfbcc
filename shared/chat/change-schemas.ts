/**
 * The shapes of a message's changes after it is stored (CONTRACT §10, §13): recalls, edits,
 * reactions and pins, as pushes, acks, route answers and `GET /v1/im/chatlog/changes` entries.
 * Each takes the conversation's next change seq (see docs/lifecycle.md).
 */
import { z } from "@hono/zod-openapi";
import { chatLogSchema } from "./schemas.ts";

/**
 * A recall: the `recall` push, the `conversation.recall` ack and the POST /v1/im/chat/recall
 * answer. `changeSeq` is the conversation's change seq it was given (see docs/lifecycle.md).
 */
export const recallSchema = z.object({
  conversationId: z.string(),
  msgId: z.string(),
  seq: z.number().int(),
  recallBy: z.string(),
  changeSeq: z.number().int(),
}).openapi("Recall");

/**
 * An edited message: the `edit` push, the `conversation.edit` ack and the PUT /v1/im/chat
 * answer.
 */
export const editedMessageSchema = chatLogSchema.extend({ changeSeq: z.number().int() })
  .openapi("EditedMessage");

/** A reaction change: the `reaction` push, the ack of a react and the routes' answer. */
export const reactionChangeSchema = z.object({
  conversationId: z.string(),
  msgId: z.string(),
  seq: z.number().int(),
  emoji: z.string(),
  userId: z.string(),
  on: z.boolean(),
  count: z.number().int().openapi({ description: "how many reacted with this emoji now" }),
  changeSeq: z.number().int(),
}).openapi("ReactionChange");

/** A pin change: the `pin` push and the answer of pinning or unpinning. */
export const pinChangeSchema = z.object({
  conversationId: z.string(),
  msgId: z.string(),
  seq: z.number().int(),
  pinned: z.boolean(),
  by: z.string().openapi({ description: "who pinned or unpinned it (or recalled it)" }),
  changeSeq: z.number().int(),
}).openapi("PinChange");

/** One entry of `GET /v1/im/chatlog/changes`: the push a live socket got for it. */
export const messageChangeSchema = z.discriminatedUnion("method", [
  z.object({ method: z.literal("recall"), data: recallSchema }),
  z.object({ method: z.literal("edit"), data: editedMessageSchema }),
  z.object({ method: z.literal("reaction"), data: reactionChangeSchema }),
  z.object({ method: z.literal("pin"), data: pinChangeSchema }),
]).openapi("MessageChange");

/** `GET /v1/im/chatlog/changes` data: the changes in change-seq order, and where they stop. */
export const messageChangesSchema = z.object({
  list: z.array(messageChangeSchema),
  changeSeq: z.number().int().openapi({ description: "ask again after this one" }),
});

export type Recall = z.infer<typeof recallSchema>;
export type EditedMessage = z.infer<typeof editedMessageSchema>;
export type MessageChange = z.infer<typeof messageChangeSchema>;
export type ReactionChange = z.infer<typeof reactionChangeSchema>;
export type PinChange = z.infer<typeof pinChangeSchema>;
export type MessageChanges = z.infer<typeof messageChangesSchema>;
