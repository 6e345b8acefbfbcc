/**
 * The social service's membership events delivered to Conversation objects, so that sends and
 * pushes follow a membership change as soon as the social call returns. Each object is
 * addressed by its conversation id and needs no more than what changed.
 */
import { pairKey } from "../../shared/ids.ts";
import type { MembershipEvents } from "../../shared/social/events.ts";

export function conversationMembershipEvents(env: Env): MembershipEvents {
  const conversation = (id: string) => env.CONVERSATION.getByName(id);
  return {
    async friendshipCreated(userId, friendId) {
      await conversation(pairKey(userId, friendId)).friendshipChanged(true);
    },
    async friendshipRemoved(userId, friendId) {
      await conversation(pairKey(userId, friendId)).friendshipChanged(false);
    },
    async groupMemberJoined(groupId, userId) {
      await conversation(groupId).memberJoined(userId);
    },
    async groupMemberLeft(groupId, userId) {
      await conversation(groupId).memberLeft(userId);
    },
    async groupDissolved(groupId) {
      await conversation(groupId).dissolved();
    },
  };
}
