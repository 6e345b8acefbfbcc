/**
 * `GET /v1/im/search` (CONTRACT §13): one conversation's search index, or — without
 * `conversationId` — the caller's SEARCH_CONVERSATIONS most recently active conversations asked
 * in parallel, waiting SEARCH_TIME_BUDGET_MS at most; the answer says how many answered
 * (`searched`). Results are newest first: by send time, then conversation id, then seq, and the
 * cursor is the last result's place in that order.
 */
import type { SearchAsk } from "../../../shared/chat/conversation-asks.ts";
import { askConversation } from "../../../shared/chat/conversation-asks.ts";
import { parseConversationId, readConversationId } from "../../../shared/chat/conversation-id.ts";
import * as schemas from "../../../shared/chat/reaction-schemas.ts";
import * as chat from "../../../shared/chat/service.ts";
import { InvalidParamsError } from "../../../shared/errors.ts";
import { SEARCH_CONVERSATIONS, SEARCH_TIME_BUDGET_MS } from "../../../shared/limits.ts";
import { tokenRoutes } from "../route-helpers.ts";
import { createRouter } from "../router.ts";

export const searchRoutes = createRouter();
const route = tokenRoutes(searchRoutes, "chat");

/** A result's place in the order: its send time, conversation and seq. */
interface Place {
  t: number;
  c: string;
  s: number;
}

route.get("/search", {
  summary: "Find text messages containing q (case-insensitive), newest first",
  description: "In one conversation, or in your 50 most recently active ones (`searched` says " +
    "how many answered within the time budget). Never finds recalled messages, text an edit " +
    "replaced, messages you deleted for yourself, or messages after you left a group. " +
    "30 searches per user per minute.",
  query: schemas.searchQuerySchema,
  ok: ["Results and the cursor of the next page (null: no more)", schemas.searchAnswerSchema],
  errors: {
    403: "Not a member of conversationId (100006)",
    404: "No such group (100005)",
    429: "Over 30 searches per minute (100008)",
  },
}, async (c) => {
  const { q, conversationId, limit, cursor } = c.req.valid("query");
  const after = cursor === undefined ? undefined : readCursor(cursor);
  const userId = c.var.userId;
  if (conversationId !== undefined) {
    const ask: SearchAsk = { q, limit: limit + 1, beforeSeq: after?.s };
    const hits = await askConversation(c.env, conversationId, userId, "search", ask);
    return pageOf(hits, limit, 1);
  }
  const listed = Object.keys(await chat.listConversations(c.env, userId, SEARCH_CONVERSATIONS));
  const budget = new Promise<null>((resolve) =>
    setTimeout(() => resolve(null), SEARCH_TIME_BUDGET_MS)
  );
  const answers = await Promise.all(listed.map((id) => {
    const ask: SearchAsk = { q, limit: limit + 1, ...placeFor(id, after) };
    const asked = askConversation(c.env, parseConversationId(id), userId, "search", ask)
      // One that refuses or fails is not searched: it adds nothing and is not counted.
      .catch(() => null);
    return Promise.race([asked, budget]);
  }));
  const answered = answers.filter((hits) => hits !== null);
  const hits = answered.flat().sort((a, b) => compare(placeOf(b.message), placeOf(a.message)));
  return pageOf(hits, limit, answered.length);
});

function pageOf(hits: schemas.SearchHit[], limit: number, searched: number): schemas.SearchAnswer {
  const list = hits.slice(0, limit);
  const last = list.at(-1);
  const nextCursor = hits.length > limit && last ? writeCursor(placeOf(last.message)) : null;
  return { list, nextCursor, searched };
}

/** Where a conversation's page starts after `after`, in the cross-conversation order. */
function placeFor(conversationId: string, after: Place | undefined): Partial<SearchAsk> {
  if (!after) return {};
  if (conversationId === after.c) return { beforeSeq: after.s };
  // Same send time: conversations ordered after the cursor's (smaller ids) still have theirs.
  return { beforeTime: after.t, atTimeToo: conversationId < after.c };
}

function placeOf(message: { sendTime: number; conversationId: string; seq: number }): Place {
  return { t: message.sendTime, c: message.conversationId, s: message.seq };
}

function compare(a: Place, b: Place): number {
  if (a.t !== b.t) return a.t - b.t;
  if (a.c !== b.c) return a.c < b.c ? -1 : 1;
  return a.s - b.s;
}

function writeCursor(place: Place): string {
  return btoa(JSON.stringify(place)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function readCursor(cursor: string): Place {
  try {
    const place = JSON.parse(atob(cursor.replaceAll("-", "+").replaceAll("_", "/"))) as Place;
    if (
      Number.isSafeInteger(place.t) && Number.isSafeInteger(place.s) &&
      typeof place.c === "string" && readConversationId(place.c)
    ) return place;
  } catch {
    // Falls through to the refusal.
  }
  throw new InvalidParamsError("cursor: not a nextCursor this search gave");
}
