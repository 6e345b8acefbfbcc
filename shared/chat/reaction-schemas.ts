/**
 * The shapes of CONTRACT §13 — reactions, pins, read counts, search — each written once: a zod
 * schema for routes, frames and the OpenAPI document, and the type inferred from it.
 */
import { z } from "@hono/zod-openapi";
import { idSchema } from "../http/schemas.ts";
import {
  SEARCH_DEFAULT_LIMIT,
  SEARCH_MAX_LIMIT,
  SEARCH_MAX_QUERY,
  SEARCH_MIN_QUERY,
} from "../limits.ts";
import { chatLogSchema, conversationIdSchema, reactionSummarySchema } from "./schemas.ts";

/** Longest emoji accepted, in UTF-16 units (the longest RGI sequences are about 35). */
const MAX_EMOJI_UNITS = 64;
const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });
// Built at run time: the `v` flag is newer than the TypeScript target.
const RGI_EMOJI = new RegExp("^\\p{RGI_Emoji}$", "v");
// One pictographic code point, optionally with the emoji variation selector: "☺", "☺️".
const PICTOGRAPHIC = /^\p{Extended_Pictographic}\uFE0F?$/u;

/**
 * True for exactly one emoji: an RGI emoji (flags, keycaps, skin tones and ZWJ sequences
 * included) or one extended pictographic code point with at most its variation selector (an
 * emoji written without it, such as "☺"). Nothing else rides along — no combining or invisible
 * marks — so the emoji a message can be given are a fixed set, and each member's reaction rows
 * on a message are bounded by it.
 */
export function isOneEmoji(text: string): boolean {
  if (text.length === 0 || text.length > MAX_EMOJI_UNITS) return false;
  const parts = [...graphemes.segment(text)];
  if (parts.length !== 1) return false;
  return RGI_EMOJI.test(text) || PICTOGRAPHIC.test(text);
}

const emojiSchema = z.string().max(MAX_EMOJI_UNITS).refine(isOneEmoji, {
  message: "must be exactly one emoji",
}).openapi({ description: "one emoji grapheme", example: "👍" });

/** `PUT` / `DELETE /v1/im/chat/reaction`. */
export const reactionBodySchema = z.object({
  conversationId: conversationIdSchema,
  msgId: idSchema,
  emoji: emojiSchema,
}).openapi("ReactionBody");

/** `conversation.react` data: `on` adds the reaction, `on: false` takes it back. */
export const reactFrameDataSchema = z.object({
  conversationId: conversationIdSchema,
  msgId: idSchema,
  emoji: emojiSchema,
  on: z.boolean(),
});

/** `POST` / `DELETE /v1/im/chat/pin`. */
export const pinBodySchema = z.object({
  conversationId: conversationIdSchema,
  msgId: idSchema,
}).openapi("PinBody");

export const pinsQuerySchema = z.object({ conversationId: conversationIdSchema });

/** `read.count` push: per seq of the sender's own messages, how many members have read it. */
export const readCountSchema = z.object({
  conversationId: z.string(),
  counts: z.record(z.string(), z.number().int()),
});

export const searchQuerySchema = z.object({
  q: z.string().trim().min(SEARCH_MIN_QUERY).max(SEARCH_MAX_QUERY)
    .refine((q) => [...q].length >= SEARCH_MIN_QUERY, {
      message: `at least ${SEARCH_MIN_QUERY} characters`,
    })
    .openapi({ description: "2–100 characters; case-insensitive substring" }),
  conversationId: conversationIdSchema.optional(),
  limit: z.coerce.number().int().min(1).max(SEARCH_MAX_LIMIT).default(SEARCH_DEFAULT_LIMIT),
  cursor: z.string().max(400).optional().openapi({ description: "nextCursor of the last page" }),
});

export const searchHitSchema = z.object({
  message: chatLogSchema,
  snippet: z.string().openapi({ description: "the text around the first match" }),
}).openapi("SearchHit");

export const searchAnswerSchema = z.object({
  list: z.array(searchHitSchema),
  nextCursor: z.union([z.string(), z.null()]),
  searched: z.number().int().openapi({ description: "conversations that answered in time" }),
});

export type ReadCount = z.infer<typeof readCountSchema>;
export type SearchHit = z.infer<typeof searchHitSchema>;
export type SearchAnswer = z.infer<typeof searchAnswerSchema>;
export type ReactionSummary = z.infer<typeof reactionSummarySchema>;
