/**
 * Membership events: the one seam between the social service and the chat objects. Social
 * services announce a change just before the D1 write that may make it (`…Changing`; if that
 * throws, nothing was written and the client may retry) and report it after the write committed;
 * the Worker's implementation (workers/conversation/membership-events.ts) updates the
 * Conversation Durable Objects so that the change never lapses (CONTRACT §7.5).
 */

/** A group's notice as its members' sockets get it (`group.notice`). */
export interface GroupNotice {
  groupId: string;
  notification: string;
  notificationUid: string;
}

/**
 * Changes the chat objects must hear about: announced before, reported after. Blocks, roles,
 * mutes and `muteAll` decide who may send, so they travel the same way as membership.
 */
export interface MembershipEvents {
  /** Before a D1 write that may make or end the friendship (and so the single chat's rights). */
  friendshipChanging(userId: string, friendId: string): Promise<void>;
  /**
   * Before a D1 write that may change a group's members (join, quit, kick, dissolve) or who of
   * them may send (role, mute, muteAll).
   */
  groupMembershipChanging(groupId: string): Promise<void>;
  /** Before a D1 write that may add or remove `userId`'s block of `otherId`. */
  blockChanging(userId: string, otherId: string): Promise<void>;
  friendshipCreated(userId: string, friendId: string): Promise<void>;
  friendshipRemoved(userId: string, friendId: string): Promise<void>;
  groupMemberJoined(groupId: string, userId: string): Promise<void>;
  groupMemberLeft(groupId: string, userId: string, reason: "quit" | "kicked"): Promise<void>;
  groupDissolved(groupId: string, memberIds: string[]): Promise<void>;
  /** A member's role or mute, or the group's muteAll, changed. */
  groupMemberUpdated(groupId: string): Promise<void>;
  blockChanged(userId: string, otherId: string): Promise<void>;
  /** The group's notice changed: every member socket gets `group.notice` (best effort). */
  groupNoticeChanged(notice: GroupNotice): Promise<void>;
}

/** Events nobody listens to, for tests that call the services and do not care. */
export const noMembershipEvents: MembershipEvents = {
  friendshipChanging: () => Promise.resolve(),
  groupMembershipChanging: () => Promise.resolve(),
  friendshipCreated: () => Promise.resolve(),
  friendshipRemoved: () => Promise.resolve(),
  groupMemberJoined: () => Promise.resolve(),
  groupMemberLeft: () => Promise.resolve(),
  groupDissolved: () => Promise.resolve(),
  groupMemberUpdated: () => Promise.resolve(),
  blockChanging: () => Promise.resolve(),
  blockChanged: () => Promise.resolve(),
  groupNoticeChanged: () => Promise.resolve(),
};
