/**
 * Membership events: the one seam between the social service and the chat objects. Social
 * services call these after their D1 write committed; the Worker's implementation
 * (workers/conversation/membership-events.ts) updates the Conversation Durable Objects.
 */

/** Membership changes the chat objects must hear about, called after the D1 write committed. */
export interface MembershipEvents {
  friendshipCreated(userId: string, friendId: string): Promise<void>;
  friendshipRemoved(userId: string, friendId: string): Promise<void>;
  groupMemberJoined(groupId: string, userId: string): Promise<void>;
  groupMemberLeft(groupId: string, userId: string, reason: "quit" | "kicked"): Promise<void>;
  groupDissolved(groupId: string, memberIds: string[]): Promise<void>;
}

/** Events nobody listens to, for tests that call the services and do not care. */
export const noMembershipEvents: MembershipEvents = {
  friendshipCreated: () => Promise.resolve(),
  friendshipRemoved: () => Promise.resolve(),
  groupMemberJoined: () => Promise.resolve(),
  groupMemberLeft: () => Promise.resolve(),
  groupDissolved: () => Promise.resolve(),
};
