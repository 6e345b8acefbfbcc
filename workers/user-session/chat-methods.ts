/**
 * The chat requests on a socket (CONTRACT §6): `conversation.chat`, `conversation.markChat`,
 * `conversation.sync`. Registered next to the session's own methods in method-table.ts.
 */
import { parseConversationId } from "../../shared/chat/conversation-id.ts";
import {
  chatFrameDataSchema,
  markChatFrameDataSchema,
  syncFrameDataSchema,
} from "../../shared/chat/schemas.ts";
import { SYNC_BATCH_SIZE } from "../../shared/limits.ts";
import { METHOD } from "../../shared/protocol/index.ts";
import { unwrapOutcome } from "../../shared/rpc-outcome.ts";
import { conversationObject, sendMessage } from "../conversation/client.ts";
import { chatSessionOf } from "./chat-session.ts";
import { defineMethod, type MethodGroup } from "./methods.ts";

export const chatMethods: MethodGroup = {
  // The frame id is the idempotency key: resending a frame returns the original ack.
  [METHOD.chat]: defineMethod(chatFrameDataSchema, (call, data) => {
    return sendMessage(call.env, call.userId, data, call.requestId);
  }),

  [METHOD.markChat]: defineMethod(
    markChatFrameDataSchema,
    async (call, { conversationId, seq }) => {
      parseConversationId(conversationId);
      const chat = chatSessionOf(call.ctx, call.env);
      const read = unwrapOutcome(await chat.markRead(call.userId, conversationId, seq));
      return { conversationId, read };
    },
  ),

  /**
   * For each conversation, the messages after the client's last seen seq arrive as `push` frames
   * on this socket, in seq order, before the ack; at most SYNC_BATCH_SIZE per conversation, and
   * the ack's seq says where this answer stopped. Messages the session had not received yet are
   * recorded and pushed to the user's other sockets as well, exactly as a delivery would.
   */
  [METHOD.sync]: defineMethod(syncFrameDataSchema, async (call, { conversations }) => {
    const entries = Object.entries(conversations);
    const parsed = entries.map(([conversationId]) => parseConversationId(conversationId));
    const chat = chatSessionOf(call.ctx, call.env);
    const reached: Record<string, number> = {};
    for (const [index, [conversationId, lastSeqSeen]] of entries.entries()) {
      const { chatType } = parsed[index]!;
      reached[conversationId] = await chat.sync(
        call.socket,
        call.userId,
        { conversationId, chatType },
        lastSeqSeen,
        async () =>
          unwrapOutcome(
            await conversationObject(call.env, conversationId).history(
              conversationId,
              call.userId,
              {
                afterSeq: lastSeqSeen,
                count: SYNC_BATCH_SIZE,
              },
            ),
          ),
      );
    }
    return { conversations: reached };
  }),
};
