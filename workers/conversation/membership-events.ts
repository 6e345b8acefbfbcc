/**
 * The social service's membership events delivered to Conversation objects, so that sends and
 * pushes follow a membership change as soon as the social call returns.
 */
import { pairKey } from "../../shared/ids.ts";
import type { MembershipEvents } from "../../shared/social/events.ts";

export function conversationMembershipEvents(env: Env): MembershipEvents {
  const conversation = (id: string) => env.CONVERSATION.getByName(id);
  return {
    async friendshipCreated(userId, friendId) {
      const id = pairKey(userId, friendId);
      await conversation(id).friendshipChanged(id, true);
    },
    async friendshipRemoved(userId, friendId) {
      const id = pairKey(userId, friendId);
      await conversation(id).friendshipChanged(id, false);
    },
    async groupMemberJoined(groupId, userId) {
      await conversation(groupId).memberJoined(groupId, userId);
    },
    async groupMemberLeft(groupId, userId) {
      await conversation(groupId).memberLeft(groupId, userId);
    },
    async groupDissolved(groupId) {
      await conversation(groupId).dissolved(groupId);
    },
  };
}
