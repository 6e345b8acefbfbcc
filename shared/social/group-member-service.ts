/** Group members (CONTRACT §4): list, quit, kick, set role / transfer ownership. */
import * as memberQueries from "../db/group-members.ts";
import { ROLE_LEVEL } from "../db/group-members.ts";
import { cancelPendingInvitations } from "../db/group-invitations.ts";
import { changeGroupCreator, recountGroupMembers } from "../db/groups.ts";
import { ConflictError, ForbiddenError, InvalidParamsError, NotFoundError } from "../errors.ts";
import { runBatch } from "./batch.ts";
import type { Actor } from "./actor.ts";
import { requireCreator, requireManager, requireMember } from "./group-access.ts";
import {
  type GroupIdBody,
  type GroupMember,
  type GroupMemberBody,
  type GroupPageQuery,
  type SetRoleBody,
  toGroupMember,
} from "./group-schemas.ts";

import { type Page, readPage } from "./pagination.ts";

/** A group's members with profiles, earliest joiner first, one page (members only). */
export async function listGroupMembers(
  { db, userId: actorId }: Actor,
  query: GroupPageQuery,
): Promise<Page<GroupMember>> {
  await requireMember(db, query.groupId, actorId);
  return await readPage(
    query,
    (limit, after) => memberQueries.listGroupMembersWithProfiles(db, query.groupId, limit, after),
    (r) => ({ time: r.joinTime, id: r.id }),
    toGroupMember,
  );
}

/**
 * Leaves a group. The creator must transfer ownership first (409). The leaver's pending
 * invitations to the group go with them (cancelled in the same batch).
 */
export async function quitGroup(
  { db, events, userId: actorId }: Actor,
  { groupId }: GroupIdBody,
): Promise<Record<string, never>> {
  const { member } = await requireMember(db, groupId, actorId);
  if (member.roleLevel === ROLE_LEVEL.creator) {
    throw new ConflictError("the creator cannot quit: transfer ownership first, or dissolve");
  }
  await events.groupMembershipChanging(groupId);
  const [removed] = await runBatch(db, [
    memberQueries.deleteGroupMember(db, groupId, actorId, member.roleLevel),
    recountGroupMembers(db, groupId),
    cancelPendingInvitations(db, groupId, Date.now(), actorId),
  ]);
  if (removed.length === 0) throw new ConflictError("your membership changed meanwhile, try again");
  await events.groupMemberLeft(groupId, actorId, "quit");
  return {};
}

/**
 * Removes a member: the creator may kick anyone else, a manager only plain members. The kicked
 * member's pending invitations to the group are cancelled in the same batch.
 */
export async function kickMember(
  { db, events, userId: actorId }: Actor,
  body: GroupMemberBody,
): Promise<Record<string, never>> {
  const { member: actor } = await requireManager(db, body.groupId, actorId, "kick members");
  if (body.userId === actorId) throw new InvalidParamsError("userId: use quit to leave a group");
  const target = await memberQueries.findGroupMember(db, body.groupId, body.userId);
  if (!target) throw new NotFoundError("that user is not a member of this group");
  if (actor.roleLevel !== ROLE_LEVEL.creator && target.roleLevel !== ROLE_LEVEL.member) {
    throw new ForbiddenError("a manager may kick only members");
  }
  // The role in the delete keeps a manager from kicking someone promoted meanwhile.
  await events.groupMembershipChanging(body.groupId);
  const [removed] = await runBatch(db, [
    memberQueries.deleteGroupMember(db, body.groupId, body.userId, target.roleLevel),
    recountGroupMembers(db, body.groupId),
    cancelPendingInvitations(db, body.groupId, Date.now(), body.userId),
  ]);
  if (removed.length === 0) throw new ConflictError("that membership changed meanwhile, try again");
  await events.groupMemberLeft(body.groupId, body.userId, "kicked");
  return {};
}

/**
 * Sets a member's role to manager (2) or member (3), or with 1 transfers ownership: the target
 * becomes creator, the caller a manager, and `creatorUid` follows — one batch, conditional on
 * the caller still being the creator. Roles decide who may send under muteAll, recall others'
 * messages and mention all, so the change is announced before the write and reported after.
 */
export async function setMemberRole(
  { db, events, userId: actorId }: Actor,
  body: SetRoleBody,
): Promise<GroupMember> {
  const { groupId, userId, roleLevel } = body;
  await requireCreator(db, groupId, actorId, "change roles");
  if (userId === actorId) {
    throw new InvalidParamsError("userId: the creator's role changes only by a transfer");
  }
  if (!await memberQueries.findGroupMember(db, groupId, userId)) {
    throw new NotFoundError("that user is not a member of this group");
  }
  await events.groupMembershipChanging(groupId);
  if (roleLevel === ROLE_LEVEL.creator) {
    const [changed] = await runBatch(db, [
      changeGroupCreator(db, groupId, actorId, userId),
      memberQueries.setGroupMemberRole(db, groupId, userId, ROLE_LEVEL.creator, userId),
      memberQueries.setGroupMemberRole(db, groupId, actorId, ROLE_LEVEL.manager, userId),
    ]);
    if (changed.length === 0) throw new ConflictError("the group changed meanwhile, try again");
  } else {
    const updated = await memberQueries.setGroupMemberRole(db, groupId, userId, roleLevel, actorId);
    if (updated.length === 0) throw new ConflictError("the group changed meanwhile, try again");
  }
  await events.groupMemberUpdated(groupId);
  const row = await memberQueries.findGroupMemberWithProfile(db, groupId, userId);
  if (!row) throw new NotFoundError("that user is not a member of this group");
  return toGroupMember(row);
}
