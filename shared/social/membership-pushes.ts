/**
 * The membership events that users' own sockets hear about (CONTRACT §14): joins, departures and
 * ended friendships, pushed after the change is reported — so every way into or out of a group
 * (invite, approval, open apply, acceptance, quit, kick, dissolve) pushes exactly when the
 * conversation objects learn of it, and refused operations push nothing.
 */
import type { Db } from "../db/client.ts";
import { findActiveGroup } from "../db/groups.ts";
import type { MembershipEvents } from "./events.ts";
import { toGroup } from "./group-schemas.ts";
import type { SocialPush, SocialPushes } from "./pushes.ts";

/** `group.joined` with the group as it is after the join (its member count recounted). */
async function groupJoinedPush(db: Db, groupId: string): Promise<SocialPush> {
  const row = await findActiveGroup(db, groupId);
  if (!row) throw new Error(`group ${groupId} is gone: group.joined not pushed`);
  return { method: "group.joined", data: { group: toGroup(row) } };
}

/** `events`, and after each reported join, departure or unfriending, its push. */
export function withSocialPushes(
  events: MembershipEvents,
  pushes: SocialPushes,
  db: Db,
): MembershipEvents {
  return {
    ...events,
    async friendshipRemoved(userId, friendId) {
      await events.friendshipRemoved(userId, friendId);
      pushes.send(friendId, { method: "friend.removed", data: { userId } });
      pushes.send(userId, { method: "friend.removed", data: { userId: friendId } });
    },
    async groupMemberJoined(groupId, userId) {
      await events.groupMemberJoined(groupId, userId);
      pushes.send(userId, groupJoinedPush(db, groupId));
    },
    async groupMemberLeft(groupId, userId, reason) {
      await events.groupMemberLeft(groupId, userId, reason);
      pushes.send(userId, { method: "group.removed", data: { groupId, reason } });
    },
    async groupDissolved(groupId, memberIds) {
      await events.groupDissolved(groupId, memberIds);
      pushes.send(memberIds, { method: "group.removed", data: { groupId, reason: "dissolved" } });
    },
  };
}
