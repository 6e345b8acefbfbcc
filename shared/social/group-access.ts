/**
 * Who may do what in a group (CONTRACT §4). Unknown and dissolved groups are 404 for everyone;
 * a group's existence is not secret (anyone with its id may apply), so a known group refuses a
 * non-member or a member without the role with 403.
 */
import type { Db } from "../db/client.ts";
import { findGroupMember, type GroupMemberRow, ROLE_LEVEL } from "../db/group-members.ts";
import { findActiveGroup, type GroupRow } from "../db/groups.ts";
import { ForbiddenError, NotFoundError } from "../errors.ts";

export interface GroupAccess {
  group: GroupRow;
  /** The caller's own membership. */
  member: GroupMemberRow;
}

/** The active group, or 404. */
export async function requireActiveGroup(db: Db, groupId: string): Promise<GroupRow> {
  const group = await findActiveGroup(db, groupId);
  if (!group) throw new NotFoundError("group not found");
  return group;
}

/** The group and the caller's membership; a non-member gets 403. */
export async function requireMember(
  db: Db,
  groupId: string,
  actorId: string,
): Promise<GroupAccess> {
  const group = await requireActiveGroup(db, groupId);
  const member = await findGroupMember(db, groupId, actorId);
  if (!member) throw new ForbiddenError("you are not a member of this group");
  return { group, member };
}

/** As requireMember, and the caller must be the creator or a manager to `action`. */
export async function requireManager(
  db: Db,
  groupId: string,
  actorId: string,
  action: string,
): Promise<GroupAccess> {
  return await requireRole(
    db,
    groupId,
    actorId,
    ROLE_LEVEL.manager,
    "creator or a manager",
    action,
  );
}

/** As requireMember, and the caller must be the creator to `action`. */
export async function requireCreator(
  db: Db,
  groupId: string,
  actorId: string,
  action: string,
): Promise<GroupAccess> {
  return await requireRole(db, groupId, actorId, ROLE_LEVEL.creator, "creator", action);
}

/** As requireMember, and the caller's roleLevel must be `roleLevel` or above (a lower number). */
async function requireRole(
  db: Db,
  groupId: string,
  actorId: string,
  roleLevel: number,
  roleName: string,
  action: string,
): Promise<GroupAccess> {
  const access = await requireMember(db, groupId, actorId);
  if (access.member.roleLevel > roleLevel) {
    throw new ForbiddenError(`only the group's ${roleName} may ${action}`);
  }
  return access;
}
