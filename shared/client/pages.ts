/**
 * Async iterators over paged answers: every list route with `nextCursor` (friends, requests,
 * groups, members, blocks) and the chat history, paged back from the newest message.
 */
import type { ApiClient } from "./http.ts";
import { unwrap } from "./http.ts";
import type { ChatLog } from "./protocol.ts";

/** One page of a list route: `{list, nextCursor}` (null on the last page). */
export interface CursorPage<T> {
  list: T[];
  nextCursor?: string | null;
}

/**
 * Every page of a list, in order: `fetchPage(cursor)` gets one (undefined for the first).
 * `for await (const page of pages((cursor) => unwrap(api.GET("/v1/social/friends",
 * { params: { query: { cursor } } }))))`.
 */
export async function* pages<T>(
  fetchPage: (cursor: string | undefined) => Promise<CursorPage<T>>,
): AsyncGenerator<T[], void, undefined> {
  let cursor: string | undefined;
  do {
    const page = await fetchPage(cursor);
    yield page.list;
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
}

/** Every item of a list, page after page (see `pages`). */
export async function* items<T>(
  fetchPage: (cursor: string | undefined) => Promise<CursorPage<T>>,
): AsyncGenerator<T, void, undefined> {
  for await (const page of pages(fetchPage)) yield* page;
}

export interface HistoryOptions {
  /** Start below this seq (default: from the newest message). */
  beforeSeq?: number;
  /** Messages per page, 1–100 (default 50). */
  count?: number;
}

/**
 * A conversation's history, newest page first, each page in ascending seq (as `chatlog` answers),
 * until its first message: what a chat view loads as the user scrolls up.
 */
export async function* historyPages(
  api: ApiClient,
  conversationId: string,
  options: HistoryOptions = {},
): AsyncGenerator<ChatLog[], void, undefined> {
  const count = options.count ?? 50;
  let beforeSeq = options.beforeSeq;
  while (beforeSeq === undefined || beforeSeq > 1) {
    const query = { conversationId, count, ...(beforeSeq !== undefined && { beforeSeq }) };
    const { list } = await unwrap(api.GET("/v1/im/chatlog", { params: { query } }));
    if (list.length === 0) return;
    yield list;
    // No stop on a short page: messages hidden by delete-for-me make pages short mid-history.
    beforeSeq = list[0]!.seq;
  }
}
