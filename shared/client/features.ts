/**
 * Pins and search over HTTP (CONTRACT §13): `pin` / `unpin`, the pinned list, and `search`, an
 * async iterator over every result page after page. Reactions go through `ChatSession.react`
 * (or `PUT /v1/im/chat/reaction`).
 */
import type { ApiClient } from "./http.ts";
import { unwrap } from "./http.ts";
import type { ChatLog, PinChange, SearchHit } from "./protocol.ts";

/** Pins (`pinned`, default) or unpins a message; idempotent. */
export function pin(
  api: ApiClient,
  conversationId: string,
  msgId: string,
  pinned = true,
): Promise<PinChange> {
  const body = { conversationId, msgId };
  return unwrap(
    pinned ? api.POST("/v1/im/chat/pin", { body }) : api.DELETE("/v1/im/chat/pin", { body }),
  );
}

/** The conversation's pinned messages, newest pin first. */
export async function pinnedMessages(api: ApiClient, conversationId: string): Promise<ChatLog[]> {
  const query = { conversationId };
  return (await unwrap(api.GET("/v1/im/chat/pins", { params: { query } }))).list;
}

export interface SearchOptions {
  /** One conversation; without it, your 50 most recently active conversations. */
  conversationId?: string;
  /** Results per page, 1–50 (default 20). */
  limit?: number;
}

/**
 * Every message containing `q` (2–100 characters, case-insensitive), newest first, fetched a
 * page at a time as the loop asks for more: `for await (const hit of search(api, "你好")) …`.
 */
export async function* search(
  api: ApiClient,
  q: string,
  options: SearchOptions = {},
): AsyncGenerator<SearchHit, void, undefined> {
  let cursor: string | undefined;
  do {
    const query = { q, ...options, ...(cursor !== undefined && { cursor }) };
    const page = await unwrap(api.GET("/v1/im/search", { params: { query } }));
    yield* page.list;
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
}
