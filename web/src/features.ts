/**
 * Reactions, pins, read counts and search in the app (CONTRACT §13): the session's `reaction`,
 * `pin` and `read.count` events kept in the store, and the actions a person takes — react, pin,
 * search and jump to a result.
 */
import {
  applyMessageChange,
  applyPinChange,
  type ChatLog,
  type ChatSession,
  pin,
  pinnedMessages,
  search,
  type SearchHit,
} from "../../shared/client/index.ts";
import { openConversation } from "./chat.ts";
import {
  api,
  getState,
  mergeMessages,
  session,
  setState,
  unwrap,
  updateMessages,
} from "./store.ts";

/** The emoji the picker offers (any single emoji is accepted by the server). */
export const PICKER_EMOJI = ["👍", "❤️", "😂", "🎉", "😮", "😢"];

/** Keeps the store in step with the session's reaction, pin and read-count events. */
export function followFeatures(live: ChatSession): void {
  live.on("reaction", (data) => {
    updateMessages(
      data.conversationId,
      (list) => applyMessageChange(list, { method: "reaction", data }, getState().me?.id),
    );
  });
  live.on("pin", (change) => {
    setState((s) => {
      const pinned = s.pins[change.conversationId];
      if (!pinned) return {};
      const next = applyPinChange(pinned, change, s.messages[change.conversationId] ?? []);
      return { pins: { ...s.pins, [change.conversationId]: next } };
    });
    // A pin of a message this page does not hold: the list says what it is.
    if (
      change.pinned &&
      !getState().pins[change.conversationId]?.some((m) => m.msgId === change.msgId)
    ) {
      void loadPins(change.conversationId);
    }
  });
  live.on("read.count", ({ conversationId, counts }) => {
    setState((s) => ({
      readCounts: {
        ...s.readCounts,
        [conversationId]: { ...s.readCounts[conversationId], ...counts },
      },
    }));
  });
}

/** Loads a chat's pinned messages. */
export async function loadPins(conversationId: string): Promise<void> {
  const list = await pinnedMessages(api, conversationId);
  setState((s) => ({ pins: { ...s.pins, [conversationId]: list } }));
}

/** Adds my reaction with `emoji`, or takes it back when I have it (through the outbox). */
export function toggleReaction(message: ChatLog, emoji: string) {
  if (!session) return Promise.reject(new Error("not signed in"));
  const mine = message.reactions?.some((r) => r.emoji === emoji && r.me) ?? false;
  return session.react(message.conversationId, message.msgId, emoji, !mine);
}

/** Pins a message, or unpins it when it is pinned. */
export async function togglePin(message: ChatLog): Promise<void> {
  const pinned = isPinned(message);
  const change = await pin(api, message.conversationId, message.msgId, !pinned);
  setState((s) => ({
    pins: {
      ...s.pins,
      [message.conversationId]: applyPinChange(s.pins[message.conversationId] ?? [], change, [
        message,
      ]),
    },
  }));
}

export function isPinned(message: ChatLog): boolean {
  return getState().pins[message.conversationId]?.some((m) => m.msgId === message.msgId) ?? false;
}

/** Who read my message `seq` (group chats; the names come from the store when known). */
export async function readers(conversationId: string, seq: number): Promise<string[]> {
  const records = await unwrap(
    api.GET("/v1/im/chatlog/readRecords", { params: { query: { conversationId, seq } } }),
  );
  return records.reads;
}

/** The first page of results for `q` (every conversation of mine, or one). */
export async function searchMessages(q: string, conversationId?: string): Promise<SearchHit[]> {
  const hits: SearchHit[] = [];
  for await (
    const hit of search(api, q, { limit: 20, ...(conversationId && { conversationId }) })
  ) {
    hits.push(hit);
    if (hits.length >= 20) break;
  }
  return hits;
}

/** Opens the result's chat with the messages around it loaded, and highlights it. */
export async function jumpTo(message: ChatLog): Promise<void> {
  const { conversationId, seq } = message;
  await openConversation(conversationId);
  if (!getState().messages[conversationId]?.some((m) => m.seq === seq)) {
    const page = await unwrap(
      api.GET("/v1/im/chatlog", {
        params: { query: { conversationId, afterSeq: Math.max(0, seq - 10), count: 30 } },
      }),
    );
    mergeMessages(conversationId, page.list.filter((m): m is ChatLog => m !== null));
    setState((s) => ({ hasOlder: { ...s.hasOlder, [conversationId]: seq > 10 } }));
  }
  setState({ highlight: { conversationId, seq } });
}

/**
 * What a chat shows besides its messages when it opens: its pinned bar, and in a group how many
 * have read my last message (later reads come as `read.count` events).
 */
export async function loadChatExtras(conversationId: string, list: ChatLog[]): Promise<void> {
  const conversation = getState().conversations[conversationId];
  await loadPins(conversationId);
  const mine = list.filter((m) => m.sendId === getState().me?.id).at(-1);
  if (conversation?.chatType !== 1 || !mine) return;
  const read = (await readers(conversationId, mine.seq)).length;
  setState((s) => ({
    readCounts: {
      ...s.readCounts,
      [conversationId]: { ...s.readCounts[conversationId], [mine.seq]: read },
    },
  }));
}
