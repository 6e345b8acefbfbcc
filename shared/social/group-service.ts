/** The group service (CONTRACT §4): create, update, dissolve, and the caller's groups. */
import * as memberQueries from "../db/group-members.ts";
import { JOIN_SOURCE, ROLE_LEVEL } from "../db/group-members.ts";
import { cancelPendingInvitations } from "../db/group-invitations.ts";
import { cancelPendingGroupRequests } from "../db/group-requests.ts";
import * as groupQueries from "../db/groups.ts";
import { GROUP_STATUS, type GroupPatch } from "../db/groups.ts";
import { ConflictError, NotFoundError } from "../errors.ts";
import { newId } from "../ids.ts";
import { MAX_GROUPS_PER_USER } from "../limits.ts";
import { runBatch } from "./batch.ts";
import type { Actor } from "./actor.ts";
import { requireCreator, requireManager } from "./group-access.ts";
import {
  type CreateGroupBody,
  type Group,
  type GroupIdBody,
  toGroup,
  type UpdateGroupBody,
} from "./group-schemas.ts";

import { type Page, type PageRequest, readPage } from "./pagination.ts";

/** The answer when a user already belongs to MAX_GROUPS_PER_USER groups (CONTRACT §9). */
export const TOO_MANY_GROUPS =
  `already a member of ${MAX_GROUPS_PER_USER} groups: quit one before joining or creating another`;

/** Creates a group with the caller as its creator member, in one batch. */
export async function createGroup(
  { db, events, userId: actorId }: Actor,
  body: CreateGroupBody,
): Promise<Group> {
  const now = Date.now();
  const notification = body.notification ?? "";
  const group = {
    id: newId(),
    name: body.name.trim(),
    icon: body.icon ?? "",
    status: GROUP_STATUS.active,
    creatorUid: actorId,
    groupType: 0,
    isVerify: body.isVerify ?? false,
    notification,
    notificationUid: notification === "" ? "" : actorId,
    muteAll: false,
    memberCount: 1,
    createdAt: now,
  };
  // Both rows or neither: the group is inserted only while the creator has room for another
  // group, and the membership only when the group row is there.
  const [inserted] = await runBatch(db, [
    groupQueries.insertGroupIfCreatorHasRoom(db, group),
    memberQueries.insertCreatorMember(db, {
      id: newId(),
      groupId: group.id,
      userId: actorId,
      roleLevel: ROLE_LEVEL.creator,
      joinTime: now,
      joinSource: JOIN_SOURCE.applied,
      inviterUid: "",
      operatorUid: actorId,
      muteUntil: 0,
    }),
  ]);
  if (inserted.length === 0) throw new ConflictError(TOO_MANY_GROUPS);
  // Announced after the write, unlike other membership changes: a group that did not exist has
  // no membership cache that could lapse, and a refused create leaves no conversation behind.
  await events.groupMembershipChanging(group.id);
  await events.groupMemberJoined(group.id, actorId);
  return toGroup(group);
}

/**
 * Changes name / icon / isVerify / notification / muteAll, as the creator or a manager.
 * `muteAll` decides who may send, so it travels like a membership change (announced before the
 * write, reported after); a `notification` in the body is pushed to the members' sockets.
 */
export async function updateGroup(
  { db, events, userId: actorId }: Actor,
  body: UpdateGroupBody,
): Promise<Group> {
  await requireManager(db, body.groupId, actorId, "update the group");
  const patch: GroupPatch = {
    ...(body.name !== undefined && { name: body.name.trim() }),
    ...(body.icon !== undefined && { icon: body.icon }),
    ...(body.isVerify !== undefined && { isVerify: body.isVerify }),
    ...(body.notification !== undefined &&
      { notification: body.notification, notificationUid: actorId }),
    ...(body.muteAll !== undefined && { muteAll: body.muteAll }),
  };
  const changesSenders = body.muteAll !== undefined;
  if (changesSenders) await events.groupMembershipChanging(body.groupId);
  const row = await groupQueries.updateActiveGroup(db, body.groupId, patch);
  if (!row) throw new NotFoundError("group not found");
  if (changesSenders) await events.groupMemberUpdated(body.groupId);
  if (body.notification !== undefined) {
    const { notification, notificationUid } = row;
    await events.groupNoticeChanged({ groupId: row.id, notification, notificationUid });
  }
  return toGroup(row);
}

/**
 * Dissolves a group, as its creator: the row stays with `status: 1`, every membership goes and
 * pending join requests and invitations are cancelled, in one batch. The event lists the members actually
 * removed, so a join racing with the dissolve is never missed.
 */
export async function dissolveGroup(
  { db, events, userId: actorId }: Actor,
  { groupId }: GroupIdBody,
): Promise<Record<string, never>> {
  await requireCreator(db, groupId, actorId, "dissolve the group");
  const now = Date.now();
  await events.groupMembershipChanging(groupId);
  const [dissolved, removed] = await runBatch(db, [
    groupQueries.markGroupDissolved(db, groupId),
    memberQueries.deleteAllGroupMembers(db, groupId),
    cancelPendingGroupRequests(db, groupId, actorId, now),
    cancelPendingInvitations(db, groupId, now),
  ]);
  if (dissolved.length === 0) throw new NotFoundError("group not found");
  await events.groupDissolved(groupId, removed.map((row) => row.userId));
  return {};
}

/** The active groups the caller is a member of, in the order they joined, one page. */
export async function listMyGroups(
  { db, userId: actorId }: Actor,
  query: PageRequest,
): Promise<Page<Group>> {
  return await readPage(
    query,
    (limit, after) => groupQueries.listGroupsOfMember(db, actorId, limit, after),
    (r) => ({ time: r.joinTime, id: r.memberId }),
    (r) => toGroup(r.group),
  );
}
