/**
 * Who may send to and read a conversation. The Conversation object keeps a membership cache in
 * its storage, read from D1: on first use (after refusing a stranger, before anything is
 * stored), whenever a social event says D1 changed, on every request while a change announced
 * before its D1 write is not settled, and every MEMBERSHIP_REFRESH_MS as a safety net.
 */
import { CHAT_TYPE, type ParsedConversationId } from "../../shared/chat/conversation-id.ts";
import type { Db } from "../../shared/db/client.ts";
import { blocksBetween } from "../../shared/db/blocks.ts";
import { areFriends } from "../../shared/db/friends.ts";
import { findUserById } from "../../shared/db/users.ts";
import {
  type GroupMemberState,
  listGroupMemberStates,
  ROLE_LEVEL,
} from "../../shared/db/group-members.ts";
import { findActiveGroup } from "../../shared/db/groups.ts";
import { ForbiddenError, NotFoundError } from "../../shared/errors.ts";
import type { ConversationStore } from "./store.ts";
import { META } from "./store-schema.ts";

export const MEMBERSHIP_REFRESH_MS = 5 * 60 * 1000;

/**
 * How long after its announcement ("prepare") a membership change's D1 write is surely over:
 * the social service issues the write right after the prepare, and D1 ends any query within
 * 30 s. A D1 read started this long after a prepare includes that write's outcome, so the
 * change is settled even if its event never arrives.
 */
export const SETTLE_WINDOW_MS = 60 * 1000;

export { META };

export type Membership =
  | { chatType: typeof CHAT_TYPE.single; friends: boolean; blockers: string[] }
  | {
    chatType: typeof CHAT_TYPE.group;
    groupExists: boolean;
    muteAll: boolean;
    members: GroupMemberState[];
  };

/**
 * Reads the conversation's membership from D1: the friendship and blocks of a single chat, or
 * the group's members with their roles and mutes.
 */
export async function readMembership(
  db: Db,
  conversation: ParsedConversationId,
): Promise<Membership> {
  if (conversation.chatType === CHAT_TYPE.single) {
    const [a, b] = conversation.userIds;
    const [friends, blocks] = await Promise.all([areFriends(db, a, b), blocksBetween(db, a, b)]);
    return { chatType: CHAT_TYPE.single, friends, blockers: blocks.map((block) => block.userId) };
  }
  const group = await findActiveGroup(db, conversation.groupId);
  if (!group) return { chatType: CHAT_TYPE.group, groupExists: false, muteAll: false, members: [] };
  return {
    chatType: CHAT_TYPE.group,
    groupExists: true,
    muteAll: group.muteAll,
    members: await listGroupMemberStates(db, conversation.groupId),
  };
}

/**
 * Refuses, before a conversation stores anything, a caller who may not be part of it: a single
 * chat with a user who does not exist is 404, one between non-friends may be read but not sent
 * to (403); an unknown or dissolved group is 404, a non-member 403. (Someone who was a member
 * of a group whose conversation never stored anything has no history to read.)
 */
export async function refuseStranger(
  db: Db,
  conversation: ParsedConversationId,
  membership: Membership,
  callerId: string,
  need: "read" | "send",
): Promise<void> {
  if (conversation.chatType === CHAT_TYPE.single && membership.chatType === CHAT_TYPE.single) {
    const [a, b] = conversation.userIds;
    if (callerId !== a && callerId !== b) throw new ForbiddenError("not your conversation");
    if (!await findUserById(db, callerId === a ? b : a)) throw new NotFoundError("user not found");
    if (need === "send" && !membership.friends) {
      throw new ForbiddenError("you are not friends: private chat needs a friendship");
    }
    return;
  }
  if (membership.chatType !== CHAT_TYPE.group || !membership.groupExists) {
    throw new NotFoundError("group not found");
  }
  if (!membership.members.some((member) => member.userId === callerId)) {
    throw new ForbiddenError("you are not a member of this group");
  }
}

/** Writes a membership read from D1 into the cache. */
export function applyMembership(
  store: ConversationStore,
  membership: Membership,
  now: number,
): void {
  const seq = store.log.lastSeq();
  const lastChange = store.changes.lastChange();
  const { conversation } = store;
  if (conversation.chatType === CHAT_TYPE.single && membership.chatType === CHAT_TYPE.single) {
    // Both users of a single chat always keep its history; friendship only gates sending. The
    // conversation enters their lists with its first message, so nothing is announced.
    for (const userId of conversation.userIds) {
      if (!store.members.member(userId)) {
        store.members.activateMember(userId, seq, lastChange, false);
      }
    }
    store.meta.set(META.friends, membership.friends ? "1" : "0");
    store.meta.set(META.blockers, membership.blockers.join(","));
  } else if (membership.chatType === CHAT_TYPE.group) {
    store.meta.set(META.groupExists, membership.groupExists ? "1" : "0");
    store.meta.set(META.muteAll, membership.muteAll ? "1" : "0");
    const current = new Set(membership.members.map((member) => member.userId));
    for (const member of store.members.all()) {
      if (member.active && !current.has(member.userId)) {
        store.members.deactivateMember(member.userId, seq);
      }
    }
    for (const member of membership.members) {
      store.members.activateMember(member.userId, seq, lastChange);
      store.members.setMemberRights(member.userId, member.roleLevel, member.muteUntil);
    }
  }
  store.meta.set(META.loadedAt, String(now));
}

/**
 * Throws unless `userId` takes part in this conversation as a sender would: a friend of the
 * other side of a single chat, or a current group member (blocks and mutes aside).
 */
export function assertParticipant(store: ConversationStore, userId: string): void {
  const { conversation } = store;
  if (conversation.chatType === CHAT_TYPE.single) {
    if (!conversation.userIds.includes(userId)) throw new ForbiddenError("not your conversation");
    if (store.meta.get(META.friends) !== "1") {
      throw new ForbiddenError("you are not friends: private chat needs a friendship");
    }
    return;
  }
  assertGroupMember(store, userId);
}

/**
 * Throws unless `userId` may send here right now: a friend the other side has not blocked, or a
 * current group member who is not muted (one by one, or all but the creator and managers; the
 * creator is never muted).
 */
export function assertCanSend(store: ConversationStore, userId: string, now = Date.now()): void {
  assertParticipant(store, userId);
  const { conversation } = store;
  if (conversation.chatType === CHAT_TYPE.single) {
    const blockers = store.meta.get(META.blockers)?.split(",") ?? [];
    if (blockers.some((blocker) => blocker !== "" && blocker !== userId)) {
      throw new ForbiddenError("this user does not accept messages from you");
    }
    return;
  }
  const member = store.members.member(userId)!;
  if (member.roleLevel > ROLE_LEVEL.manager && store.meta.get(META.muteAll) === "1") {
    throw new ForbiddenError("the group is muted: only its creator and managers may send");
  }
  if (member.roleLevel !== ROLE_LEVEL.creator && member.muteUntil > now) {
    throw new ForbiddenError(
      `you are muted in this group until ${
        new Date(member.muteUntil).toISOString()
      } (${member.muteUntil} ms)`,
    );
  }
}

/** `userId`'s row as a current member of this group conversation, or a refusal. */
export function assertGroupMember(store: ConversationStore, userId: string) {
  if (store.meta.get(META.groupExists) !== "1") throw new NotFoundError("group not found");
  const member = store.members.member(userId);
  if (!member?.active) throw new ForbiddenError("you are not a member of this group");
  return member;
}

/** True when `userId` is a current creator or manager of this group conversation. */
export function isGroupManager(store: ConversationStore, userId: string): boolean {
  if (store.conversation.chatType !== CHAT_TYPE.group) return false;
  const member = store.members.member(userId);
  return member?.active === 1 && member.roleLevel <= ROLE_LEVEL.manager;
}

/**
 * The last seq `userId` may read: everything for a party of a single chat or a current group
 * member, up to the leave point for a former member. Anyone else is refused.
 */
export function readableUpTo(store: ConversationStore, userId: string): number {
  const member = store.members.member(userId);
  const { conversation } = store;
  if (conversation.chatType === CHAT_TYPE.single) {
    if (!conversation.userIds.includes(userId)) throw new ForbiddenError("not your conversation");
    return store.log.lastSeq();
  }
  if (!member) {
    if (store.meta.get(META.groupExists) !== "1") throw new NotFoundError("group not found");
    throw new ForbiddenError("you are not a member of this group");
  }
  return member.active ? store.log.lastSeq() : member.leftSeq ?? 0;
}
