/**
 * Membership events: the one seam between the social service and the chat objects. Social
 * services call these after their D1 write committed; the messaging issue supplies the
 * implementation that updates Conversation Durable Objects.
 */

/** Membership changes the chat objects must hear about, called after the D1 write committed. */
export interface MembershipEvents {
  friendshipCreated(userId: string, friendId: string): Promise<void>;
  friendshipRemoved(userId: string, friendId: string): Promise<void>;
  groupMemberJoined(groupId: string, userId: string): Promise<void>;
  groupMemberLeft(groupId: string, userId: string, reason: "quit" | "kicked"): Promise<void>;
  groupDissolved(groupId: string, memberIds: string[]): Promise<void>;
}

/** Events nobody listens to (until chat hooks in, and in tests that do not care). */
export const noMembershipEvents: MembershipEvents = {
  friendshipCreated: () => Promise.resolve(),
  friendshipRemoved: () => Promise.resolve(),
  groupMemberJoined: () => Promise.resolve(),
  groupMemberLeft: () => Promise.resolve(),
  groupDissolved: () => Promise.resolve(),
};
