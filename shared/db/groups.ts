/** Group queries. A dissolved group keeps its row with `status: 1`; every read here skips it. */
import { and, count, eq, lt, sql } from "drizzle-orm";
import { MAX_GROUPS_PER_USER } from "../limits.ts";
import type { Db } from "./client.ts";
import { keysetPage, type PagePosition } from "./keyset.ts";
import { boundRow } from "./bound-row.ts";
import { patchRow } from "./rows.ts";
import { groupMembers, groups } from "./schema.ts";

export type GroupRow = typeof groups.$inferSelect;
export type NewGroupRow = typeof groups.$inferInsert;
export type GroupPatch = Partial<
  Pick<GroupRow, "name" | "icon" | "isVerify" | "notification" | "notificationUid" | "muteAll">
>;

/** `groups.status` values. */
export const GROUP_STATUS = { active: 0, dissolved: 1 } as const;

/** How many groups `userId` is a member of. */
export async function countGroupsOf(db: Db, userId: string): Promise<number> {
  const row = await db.select({ n: count() }).from(groupMembers)
    .where(eq(groupMembers.userId, userId)).get();
  return row?.n ?? 0;
}

/** `userId` is in fewer than MAX_GROUPS_PER_USER groups, as a condition inside a statement. */
export function hasRoomForAnotherGroup(db: Db, userId: string) {
  const groupsOfUser = db.select({ n: count() }).from(groupMembers)
    .where(eq(groupMembers.userId, userId));
  return lt(sql`(${groupsOfUser})`, MAX_GROUPS_PER_USER);
}

/** A statement inserting a group unconditionally (fixtures; the service uses the one below). */
export function insertGroup(db: Db, row: NewGroupRow) {
  return db.insert(groups).values(row);
}

/**
 * A statement inserting a new group only while its creator is in fewer than MAX_GROUPS_PER_USER
 * groups (batched with the creator's membership, which follows the group row). Returns the row,
 * or nothing.
 */
export function insertGroupIfCreatorHasRoom(db: Db, row: Required<NewGroupRow>) {
  return db.insert(groups).select((qb) =>
    qb.select(boundRow(groups, row)).from(sql`(SELECT 1)`)
      .where(hasRoomForAnotherGroup(db, row.creatorUid))
  ).returning();
}

/** The group with this id unless it is unknown or dissolved. */
export async function findActiveGroup(db: Db, id: string): Promise<GroupRow | undefined> {
  return await db.select().from(groups)
    .where(and(eq(groups.id, id), eq(groups.status, GROUP_STATUS.active))).get();
}

/** Applies a partial update to an active group and returns it (undefined: gone). */
export async function updateActiveGroup(
  db: Db,
  id: string,
  patch: GroupPatch,
): Promise<GroupRow | undefined> {
  const activeGroup = and(eq(groups.id, id), eq(groups.status, GROUP_STATUS.active));
  return await patchRow(db, groups, activeGroup, patch);
}

/** A statement marking an active group dissolved; returns the row, or nothing if it was not. */
export function markGroupDissolved(db: Db, id: string) {
  return db.update(groups).set({ status: GROUP_STATUS.dissolved, memberCount: 0 })
    .where(and(eq(groups.id, id), eq(groups.status, GROUP_STATUS.active)))
    .returning({ id: groups.id });
}

/**
 * A statement setting `memberCount` from the member rows themselves, so the count stays right
 * whatever raced with the batch it runs in.
 */
export function recountGroupMembers(db: Db, groupId: string) {
  const counted = db.select({ n: count() }).from(groupMembers)
    .where(eq(groupMembers.groupId, groupId));
  return db.update(groups).set({ memberCount: sql`(${counted})` })
    .where(eq(groups.id, groupId));
}

/**
 * A statement making `newCreatorUid` the creator of an active group, only while `creatorUid`
 * still is and the new one is a member; returns the row, or nothing when that no longer holds.
 */
export function changeGroupCreator(
  db: Db,
  groupId: string,
  creatorUid: string,
  newCreatorUid: string,
) {
  const isMember = db.select({ one: sql`1` }).from(groupMembers).where(and(
    eq(groupMembers.groupId, groupId),
    eq(groupMembers.userId, newCreatorUid),
  ));
  return db.update(groups).set({ creatorUid: newCreatorUid })
    .where(and(
      eq(groups.id, groupId),
      eq(groups.status, GROUP_STATUS.active),
      eq(groups.creatorUid, creatorUid),
      sql`exists ${isMember}`,
    ))
    .returning({ id: groups.id });
}

export interface MyGroupRow {
  group: GroupRow;
  /** The caller's membership key: lists are ordered by when they joined. */
  joinTime: number;
  memberId: string;
}

/** One page of the active groups `userId` is a member of, ordered by (joinTime, member id). */
export async function listGroupsOfMember(
  db: Db,
  userId: string,
  limit: number,
  after?: PagePosition,
): Promise<MyGroupRow[]> {
  const query = db.select({
    group: groups,
    joinTime: groupMembers.joinTime,
    memberId: groupMembers.id,
  }).from(groupMembers)
    .innerJoin(groups, eq(groups.id, groupMembers.groupId));
  const filter = and(eq(groupMembers.userId, userId), eq(groups.status, GROUP_STATUS.active));
  const key = [groupMembers.joinTime, groupMembers.id] as const;
  return await keysetPage(query.$dynamic(), key, filter, limit, after);
}
