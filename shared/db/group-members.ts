/**
 * Group membership queries. `unique(group_id, user_id)` makes a second membership impossible
 * even when two joins race; the conditional inserts below keep the member cap and a dissolved
 * group out of reach of a racing batch.
 */
import { and, count, eq, lt, type SQL, sql } from "drizzle-orm";
import { MAX_GROUP_MEMBERS } from "../limits.ts";
import { boundRow } from "./bound-row.ts";
import type { Db } from "./client.ts";
import { keysetPage, type PagePosition } from "./keyset.ts";
import { GROUP_STATUS, hasRoomForAnotherGroup } from "./groups.ts";
import { groupMembers, groupRequests, groups, HANDLE_RESULT } from "./schema.ts";
import { type ProfileFields, selectWithProfile } from "./users.ts";

export type GroupMemberRow = typeof groupMembers.$inferSelect;
export type NewGroupMemberRow = typeof groupMembers.$inferInsert;
export type GroupMemberWithProfileRow = GroupMemberRow & ProfileFields;

/** Members are listed earliest joiner first. */
const byJoinTime = [groupMembers.joinTime, groupMembers.id] as const;

/** `roleLevel` values (CONTRACT §1). */
export const ROLE_LEVEL = { creator: 1, manager: 2, member: 3 } as const;

/** `joinSource` values (CONTRACT §1). */
export const JOIN_SOURCE = { invited: 1, applied: 2 } as const;

/** `userId`'s membership of `groupId`, if any. */
export async function findGroupMember(
  db: Db,
  groupId: string,
  userId: string,
): Promise<GroupMemberRow | undefined> {
  return await db.select().from(groupMembers)
    .where(and(eq(groupMembers.groupId, groupId), eq(groupMembers.userId, userId))).get();
}

/** Every member id of `groupId` (at most MAX_GROUP_MEMBERS), earliest joiner first. */
export async function listGroupMemberIds(db: Db, groupId: string): Promise<string[]> {
  const query = db.select({ userId: groupMembers.userId }).from(groupMembers).$dynamic();
  const filter = eq(groupMembers.groupId, groupId);
  const rows = await keysetPage(query, byJoinTime, filter, MAX_GROUP_MEMBERS);
  return rows.map((row) => row.userId);
}

/** What a group's conversation checks on every send: each member's role and mute. */
export type GroupMemberState = Pick<GroupMemberRow, "userId" | "roleLevel" | "muteUntil">;

/** Every member of `groupId` with role and mute (at most MAX_GROUP_MEMBERS), earliest first. */
export async function listGroupMemberStates(
  db: Db,
  groupId: string,
): Promise<GroupMemberState[]> {
  const query = db.select({
    userId: groupMembers.userId,
    roleLevel: groupMembers.roleLevel,
    muteUntil: groupMembers.muteUntil,
  }).from(groupMembers).$dynamic();
  return await keysetPage(query, byJoinTime, eq(groupMembers.groupId, groupId), MAX_GROUP_MEMBERS);
}

/** `userId`'s membership with nickname and avatar. */
export async function findGroupMemberWithProfile(
  db: Db,
  groupId: string,
  userId: string,
): Promise<GroupMemberWithProfileRow | undefined> {
  return await selectWithProfile(db, groupMembers, groupMembers.userId)
    .where(and(eq(groupMembers.groupId, groupId), eq(groupMembers.userId, userId)))
    .get();
}

/** One page of a group's members with profiles, ordered by (joinTime, id). */
export async function listGroupMembersWithProfiles(
  db: Db,
  groupId: string,
  limit: number,
  after?: PagePosition,
): Promise<GroupMemberWithProfileRow[]> {
  const query = selectWithProfile(db, groupMembers, groupMembers.userId).$dynamic();
  const filter = eq(groupMembers.groupId, groupId);
  return await keysetPage(query, byJoinTime, filter, limit, after);
}

/** How many members `groupId` has. */
export async function countGroupMembers(db: Db, groupId: string): Promise<number> {
  const row = await db.select({ n: count() }).from(groupMembers)
    .where(eq(groupMembers.groupId, groupId)).get();
  return row?.n ?? 0;
}

/** A statement inserting a membership unconditionally (fixtures; the services check room). */
export function insertGroupMember(db: Db, row: NewGroupMemberRow) {
  return db.insert(groupMembers).values(row);
}

/**
 * A batch statement making a new group's creator its first member, only when the group row of
 * the same batch was inserted (that insert checks the creator's room for another group).
 */
export function insertCreatorMember(db: Db, row: Required<NewGroupMemberRow>) {
  return db.insert(groupMembers).select((qb) =>
    qb.select(boundRow(groupMembers, row)).from(groups).where(eq(groups.id, row.groupId))
  ).returning();
}

/**
 * A batch statement adding a member only while the group is active and under MAX_GROUP_MEMBERS,
 * the joiner is in fewer than MAX_GROUPS_PER_USER groups and, when `pendingRequestId` is given,
 * that join request is still pending, and `alsoWhen` holds (an invitation still pending). An
 * existing membership is left alone. Returns the inserted row, or nothing.
 */
export function insertGroupMemberIfAllowed(
  db: Db,
  row: Required<NewGroupMemberRow>,
  pendingRequestId?: string,
  alsoWhen?: SQL,
) {
  const memberCount = db.select({ n: count() }).from(groupMembers)
    .where(eq(groupMembers.groupId, row.groupId));
  const requestPending = db.select({ one: sql`1` }).from(groupRequests).where(and(
    eq(groupRequests.id, pendingRequestId ?? ""),
    eq(groupRequests.handleResult, HANDLE_RESULT.pending),
  ));
  return db.insert(groupMembers).select((qb) =>
    qb.select(boundRow(groupMembers, row)).from(groups).where(and(
      eq(groups.id, row.groupId),
      eq(groups.status, GROUP_STATUS.active),
      lt(sql`(${memberCount})`, MAX_GROUP_MEMBERS),
      hasRoomForAnotherGroup(db, row.userId),
      pendingRequestId === undefined ? undefined : sql`exists ${requestPending}`,
      alsoWhen,
    ))
  ).onConflictDoNothing().returning();
}

/** A statement removing one membership (with `roleLevel` when given); returns what it removed. */
export function deleteGroupMember(db: Db, groupId: string, userId: string, roleLevel?: number) {
  return db.delete(groupMembers).where(and(
    eq(groupMembers.groupId, groupId),
    eq(groupMembers.userId, userId),
    roleLevel === undefined ? undefined : eq(groupMembers.roleLevel, roleLevel),
  )).returning({ userId: groupMembers.userId });
}

/** A statement removing every membership of a group; returns the removed user ids. */
export function deleteAllGroupMembers(db: Db, groupId: string) {
  return db.delete(groupMembers).where(eq(groupMembers.groupId, groupId))
    .returning({ userId: groupMembers.userId });
}

/**
 * A statement setting a member's role, only while `expectedCreatorUid` is (still, or now) the
 * group's creator — so a transfer's role updates follow its creator change or do nothing.
 */
export function setGroupMemberRole(
  db: Db,
  groupId: string,
  userId: string,
  roleLevel: number,
  expectedCreatorUid: string,
) {
  const creator = db.select({ creatorUid: groups.creatorUid }).from(groups)
    .where(eq(groups.id, groupId));
  return db.update(groupMembers).set({ roleLevel })
    .where(and(
      eq(groupMembers.groupId, groupId),
      eq(groupMembers.userId, userId),
      eq(sql`(${creator})`, expectedCreatorUid),
    ))
    .returning({ id: groupMembers.id });
}

/**
 * Sets a member's `muteUntil`, only while the target still has `targetRoleLevel` and the muting
 * member `actorId` still has `actorRoleLevel` — so a manager cannot mute someone promoted
 * meanwhile, nor keep muting after being demoted. Returns the updated row's id, or nothing.
 */
export async function setGroupMemberMute(
  db: Db,
  groupId: string,
  mute: { userId: string; muteUntil: number; targetRoleLevel: number },
  actor: { userId: string; roleLevel: number },
): Promise<{ id: string } | undefined> {
  const actorStillHasRole = db.select({ one: sql`1` }).from(groupMembers).where(and(
    eq(groupMembers.groupId, groupId),
    eq(groupMembers.userId, actor.userId),
    eq(groupMembers.roleLevel, actor.roleLevel),
  ));
  return await db.update(groupMembers).set({ muteUntil: mute.muteUntil })
    .where(and(
      eq(groupMembers.groupId, groupId),
      eq(groupMembers.userId, mute.userId),
      eq(groupMembers.roleLevel, mute.targetRoleLevel),
      sql`exists ${actorStillHasRole}`,
    ))
    .returning({ id: groupMembers.id }).get();
}
