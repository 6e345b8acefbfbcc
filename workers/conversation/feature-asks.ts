/**
 * The asks of CONTRACT §13 — react, pin, pins, search — as asks.ts answers the others: who may
 * ask, the answer while nothing is stored, the answer. A reaction or pin is a change: it is
 * stored with the conversation's next change seq and the outbox delivers it like an edit.
 */
import { pinOf, reactionOf } from "../../shared/chat/delivery.ts";
import { NotFoundError } from "../../shared/errors.ts";
import type { AskHandler } from "./asks.ts";
import { readableUpTo } from "./membership.ts";
import { pin } from "./pins.ts";
import { react, withReactions } from "./reactions.ts";
import { snippetOf } from "./search-index.ts";

function noSuchMessage(msgId: string): NotFoundError {
  return new NotFoundError(`msgId: no message ${msgId} in this conversation`);
}

export const FEATURE_ASKS: {
  react: AskHandler<"react">;
  pin: AskHandler<"pin">;
  pins: AskHandler<"pins">;
  search: AskHandler<"search">;
} = {
  react: {
    need: "read",
    unstored: ({ msgId }) => {
      throw noSuchMessage(msgId);
    },
    async answer({ store, outbox }, userId, request) {
      const { change, fresh } = react(store, userId, request);
      if (fresh) await outbox.fanOut({ changed: true });
      return reactionOf(change);
    },
  },
  pin: {
    need: "read",
    unstored: ({ msgId }) => {
      throw noSuchMessage(msgId);
    },
    async answer({ store, outbox }, userId, { msgId, pinned }) {
      const { change, fresh } = pin(store, userId, msgId, pinned);
      if (fresh) await outbox.fanOut({ changed: true });
      return pinOf(change);
    },
  },
  pins: {
    need: "read",
    unstored: () => [],
    answer({ store }, userId) {
      const upTo = readableUpTo(store, userId);
      const pinned = store.pins.pinnedMessages(upTo, store.hidden.visibleTo(userId));
      return withReactions(store, userId, pinned);
    },
  },
  search: {
    need: "read",
    unstored: () => [],
    answer({ store }, userId, { q, limit, ...from }) {
      const upTo = readableUpTo(store, userId);
      const found = store.search.search(q, upTo, limit, from, store.hidden.visibleTo(userId));
      return withReactions(store, userId, found).map((message) => ({
        message,
        snippet: snippetOf(message.content, q),
      }));
    },
  },
};
