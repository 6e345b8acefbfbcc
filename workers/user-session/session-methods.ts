/**
 * The session's own requests: `user.online` (which friends hold an open socket) and
 * `conversation.typing` (relayed to the conversation's other members, never stored).
 */
import { createDb } from "../../shared/db/client.ts";
import { areFriends, listFriendIds } from "../../shared/db/friends.ts";
import { findGroupMember, listGroupMemberIds } from "../../shared/db/group-members.ts";
import { ForbiddenError } from "../../shared/errors.ts";
import {
  METHOD,
  type OnlineList,
  PUSH_METHOD,
  pushFrame,
  typingDataSchema,
  type TypingPush,
  userOnlineDataSchema,
} from "../../shared/protocol/index.ts";
import { defineMethod, type MethodCall, type MethodGroup } from "./methods.ts";
import { onlineMap, PRESENCE_LIST_LIMIT } from "./presence.ts";

/** The other members of `conversationId` who may see `userId` typing; throws when none may. */
async function typingAudience(call: MethodCall, conversationId: string): Promise<string[]> {
  const db = createDb(call.env);
  const pair = conversationId.split("_");
  if (pair.length === 2) {
    const other = pair[0] === call.userId ? pair[1] : pair[1] === call.userId ? pair[0] : null;
    if (!other || other === call.userId) {
      throw new ForbiddenError("you are not part of this conversation");
    }
    if (!(await areFriends(db, call.userId, other))) {
      throw new ForbiddenError("you can only chat privately with friends");
    }
    return [other];
  }
  if (!(await findGroupMember(db, conversationId, call.userId))) {
    throw new ForbiddenError("you are not a member of this group");
  }
  const members = await listGroupMemberIds(db, conversationId);
  return members.filter((id) => id !== call.userId);
}

export const sessionMethods: MethodGroup = {
  [METHOD.userOnline]: defineMethod(userOnlineDataSchema, async (call): Promise<OnlineList> => {
    const friendIds = await listFriendIds(createDb(call.env), call.userId, PRESENCE_LIST_LIMIT);
    return { onlineList: await onlineMap(call.env.USER_SESSION, friendIds) };
  }),

  [METHOD.typing]: defineMethod(typingDataSchema, async (call, { conversationId }) => {
    const audience = await typingAudience(call, conversationId);
    const frame = pushFrame<TypingPush>(PUSH_METHOD.typing, {
      conversationId,
      userId: call.userId,
    });
    // Best effort: a typing hint that misses an object is not worth an error or a retry.
    await Promise.allSettled(audience.map((id) => call.env.USER_SESSION.getByName(id).push(frame)));
    return {};
  }),
};
