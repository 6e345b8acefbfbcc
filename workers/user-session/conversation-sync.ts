/**
 * `conversation.sync`: per conversation, the messages after the client's last seen seq go out
 * on the asking socket as `push` frames, in seq order, before the ack, and with `changes`, the
 * recalls and edits after the client's last seen change seq as `recall`/`edit` frames; at most
 * SYNC_BATCH_SIZE / SYNC_CHANGES_BATCH_SIZE each, and the ack says where each stopped. What the
 * session had not received yet is recorded and pushed to the user's other sockets as well,
 * exactly as a delivery would. Live pushes of a conversation being synced wait for its sync
 * (socket-pushes.ts), so the socket sees each once, in order.
 */
import type { ParsedConversationId } from "../../shared/chat/conversation-id.ts";
import { askConversation } from "../../shared/chat/conversation-asks.ts";
import { toDelivered, toDeliveredChange } from "../../shared/chat/delivery.ts";
import { RateLimitedError } from "../../shared/errors.ts";
import {
  MAX_SYNC_NAMES_PER_FRAME,
  SYNC_BATCH_SIZE,
  SYNC_CHANGES_BATCH_SIZE,
  SYNC_CONVERSATIONS,
} from "../../shared/limits.ts";
import type { MethodAck, MethodData } from "../../shared/protocol/index.ts";
import type { SessionParts } from "./frame-methods.ts";
import { receiveBatch } from "./receive-batch.ts";
import { NO_CHANGES, NO_MESSAGES, type SyncReach } from "./socket-pushes.ts";
import { sendFrame } from "./sockets.ts";

/** One conversation of a sync: from where the client asked for messages, changes. */
interface SyncAsk {
  conversation: ParsedConversationId;
  seq?: number;
  changeSeq?: number;
}

/** Syncs every conversation asked for, one after another, on `ws`; the ack's `data`. */
export async function syncConversations(
  parts: SessionParts,
  ws: WebSocket,
  data: MethodData<"conversation.sync">,
): Promise<MethodAck<"conversation.sync">> {
  const asked = new Map<string, SyncAsk>();
  for (const [conversation, seq] of data.conversations) {
    asked.set(conversation.conversationId, { conversation, seq });
  }
  for (const [conversation, changeSeq] of data.changes ?? []) {
    const ask = asked.get(conversation.conversationId) ?? { conversation };
    asked.set(conversation.conversationId, { ...ask, changeSeq });
  }
  // Every conversation named costs one of the user's sync budget, taken before any is asked.
  if (asked.size > MAX_SYNC_NAMES_PER_FRAME) {
    const what =
      `at most ${MAX_SYNC_NAMES_PER_FRAME} conversations per sync frame (both maps together); split it`;
    throw new RateLimitedError(what, SYNC_CONVERSATIONS.windowSeconds);
  }
  parts.limits.takeManyOrThrow(
    SYNC_CONVERSATIONS,
    asked.size,
    `too many conversations synced: at most ${SYNC_CONVERSATIONS.limit} a minute`,
  );
  const conversations: Record<string, number> = {};
  const changes: Record<string, number> = {};
  for (const [conversationId, ask] of asked) {
    const reach = await parts.pushes.holdingBack(
      ws,
      conversationId,
      // A sync for changes only covers no messages: every live one held back goes out after it.
      ask.seq ?? NO_MESSAGES,
      () => syncOne(parts, ws, ask),
    );
    if (ask.seq !== undefined) conversations[conversationId] = reach.seq;
    if (ask.changeSeq !== undefined) changes[conversationId] = reach.changeSeq;
  }
  return data.changes === undefined ? { conversations } : { conversations, changes };
}

/** One conversation of a sync: its pushes on `ws`, recorded in the list; where it stopped. */
async function syncOne(parts: SessionParts, ws: WebSocket, ask: SyncAsk): Promise<SyncReach> {
  const { conversation } = ask;
  const answer = await askConversation(parts.env, conversation, parts.userId, "catchUp", {
    // Changes alone: no messages are asked for.
    afterSeq: ask.seq ?? Number.MAX_SAFE_INTEGER,
    count: SYNC_BATCH_SIZE,
    afterChange: ask.changeSeq,
    changeCount: SYNC_CHANGES_BATCH_SIZE,
  });
  const messages = answer.messages.map(toDelivered);
  const changes = answer.changes.map(toDeliveredChange);
  for (const message of messages) sendFrame(ws, message.frame);
  for (const change of changes) sendFrame(ws, change.frame);
  // Nothing to record for an empty answer: a read of a conversation the user has never had a
  // message in must not put it in their list (CONTRACT §9).
  if (messages.length > 0 || changes.length > 0) {
    receiveBatch(parts, {
      conversation,
      position: null,
      read: 0,
      messages,
      lastMsg: messages.length > 0 ? JSON.stringify(answer.messages.at(-1)) : null,
      changes,
    });
  }
  return {
    seq: ask.seq === undefined ? NO_MESSAGES : answer.seq,
    changeSeq: answer.changeSeq ?? NO_CHANGES,
  };
}
