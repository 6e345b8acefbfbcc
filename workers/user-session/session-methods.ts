/**
 * The session's own requests: `user.online` (which friends hold an open socket) and
 * `conversation.typing` (relayed to the conversation's other members, never stored).
 */
import { createDb } from "../../shared/db/client.ts";
import { parseConversationId } from "../../shared/chat/conversation-id.ts";
import { listFriendIds } from "../../shared/db/friends.ts";
import {
  METHOD,
  type OnlineList,
  PUSH_METHOD,
  pushFrame,
  typingDataSchema,
  type TypingPush,
  userOnlineDataSchema,
} from "../../shared/protocol/index.ts";
import { unwrapOutcome } from "../../shared/rpc-outcome.ts";
import { conversationObject } from "../conversation/client.ts";
import { defineMethod, type MethodGroup } from "./methods.ts";
import { onlineMap, PRESENCE_LIST_LIMIT } from "./presence.ts";

export const sessionMethods: MethodGroup = {
  [METHOD.userOnline]: defineMethod(userOnlineDataSchema, async (call): Promise<OnlineList> => {
    const friendIds = await listFriendIds(createDb(call.env), call.userId, PRESENCE_LIST_LIMIT);
    return { onlineList: await onlineMap(call.env.USER_SESSION, friendIds) };
  }),

  [METHOD.typing]: defineMethod(typingDataSchema, async (call, { conversationId }) => {
    parseConversationId(conversationId);
    // The conversation's membership cache decides, exactly as it does for a send.
    const audience = unwrapOutcome(
      await conversationObject(call.env, conversationId).typingAudience(
        conversationId,
        call.userId,
      ),
    );
    const frame = pushFrame<TypingPush>(PUSH_METHOD.typing, {
      conversationId,
      userId: call.userId,
    });
    // Best effort: a typing hint that misses an object is not worth an error or a retry.
    await Promise.allSettled(audience.map((id) => call.env.USER_SESSION.getByName(id).push(frame)));
    return {};
  }),
};
