/**
 * Group join request queries. The partial unique index on (group_id, req_id) allows one pending
 * request per user and group.
 */
import { and, eq, sql } from "drizzle-orm";
import { boundRow } from "./bound-row.ts";
import type { Db } from "./client.ts";
import { keysetPage, type PagePosition } from "./keyset.ts";
import { findRowById } from "./rows.ts";
import { groupMembers, groupRequests, HANDLE_RESULT } from "./schema.ts";

export type GroupRequestRow = typeof groupRequests.$inferSelect;
export type NewGroupRequestRow = typeof groupRequests.$inferInsert;

/** Inserts a pending request; a second pending one for the user and group is a UNIQUE violation. */
export async function insertGroupRequest(db: Db, row: NewGroupRequestRow): Promise<void> {
  await db.insert(groupRequests).values(row);
}

/** The same insert as a statement, for a batch. */
export function insertGroupRequestStatement(db: Db, row: NewGroupRequestRow) {
  return db.insert(groupRequests).values(row);
}

export async function findGroupRequestById(
  db: Db,
  id: string,
): Promise<GroupRequestRow | undefined> {
  return await findRowById(db, groupRequests, id);
}

/** `reqId`'s pending request to join `groupId`, if any. */
export async function findPendingGroupRequest(
  db: Db,
  groupId: string,
  reqId: string,
): Promise<GroupRequestRow | undefined> {
  return await db.select().from(groupRequests).where(and(
    eq(groupRequests.groupId, groupId),
    eq(groupRequests.reqId, reqId),
    eq(groupRequests.handleResult, HANDLE_RESULT.pending),
  )).get();
}

/** One page of a group's pending join requests, ordered by (reqTime, id). */
export async function listPendingGroupRequests(
  db: Db,
  groupId: string,
  limit: number,
  after?: PagePosition,
): Promise<GroupRequestRow[]> {
  const filter = and(
    eq(groupRequests.groupId, groupId),
    eq(groupRequests.handleResult, HANDLE_RESULT.pending),
  );
  const key = [groupRequests.reqTime, groupRequests.id] as const;
  return await keysetPage(db.select().from(groupRequests).$dynamic(), key, filter, limit, after);
}

/**
 * A batch statement recording an already granted join (`handleResult: 2`) only if membership
 * `memberId` exists — i.e. only if the insert earlier in the same batch happened.
 */
export function insertPassedGroupRequestIfMember(
  db: Db,
  row: Required<Omit<NewGroupRequestRow, "handleResult">>,
  memberId: string,
) {
  const passed = { ...row, handleResult: HANDLE_RESULT.passed };
  return db.insert(groupRequests).select((qb) =>
    qb.select(boundRow(groupRequests, passed)).from(groupMembers).where(
      eq(groupMembers.id, memberId),
    )
  ).returning();
}

/**
 * A statement approving a still-pending request, only once its user is a member (the insert
 * before it in the batch); returns the updated row, or nothing.
 */
export function approveGroupRequest(
  db: Db,
  request: { id: string; groupId: string; reqId: string },
  handleUid: string,
  handleTime: number,
) {
  const joined = db.select({ one: sql`1` }).from(groupMembers).where(and(
    eq(groupMembers.groupId, request.groupId),
    eq(groupMembers.userId, request.reqId),
  ));
  return db.update(groupRequests)
    .set({ handleResult: HANDLE_RESULT.passed, handleUid, handleTime })
    .where(and(
      eq(groupRequests.id, request.id),
      eq(groupRequests.handleResult, HANDLE_RESULT.pending),
      sql`exists ${joined}`,
    ))
    .returning();
}

/** A statement refusing a still-pending request; returns the updated row, or nothing. */
export function refuseGroupRequest(db: Db, id: string, handleUid: string, handleTime: number) {
  return db.update(groupRequests)
    .set({ handleResult: HANDLE_RESULT.refused, handleUid, handleTime })
    .where(and(eq(groupRequests.id, id), eq(groupRequests.handleResult, HANDLE_RESULT.pending)))
    .returning();
}

/**
 * A batch statement passing whatever request of `reqId` is still pending, once membership
 * `memberId` exists (they were just let in directly, which answers their request too).
 */
export function passPendingGroupRequestsOf(
  db: Db,
  member: { id: string; groupId: string; userId: string },
  handleUid: string,
  handleTime: number,
) {
  const joined = db.select({ one: sql`1` }).from(groupMembers)
    .where(eq(groupMembers.id, member.id));
  return db.update(groupRequests)
    .set({ handleResult: HANDLE_RESULT.passed, handleUid, handleTime })
    .where(and(
      eq(groupRequests.groupId, member.groupId),
      eq(groupRequests.reqId, member.userId),
      eq(groupRequests.handleResult, HANDLE_RESULT.pending),
      sql`exists ${joined}`,
    ));
}

/** A statement cancelling every pending request of a group (it is being dissolved). */
export function cancelPendingGroupRequests(
  db: Db,
  groupId: string,
  handleUid: string,
  handleTime: number,
) {
  return db.update(groupRequests)
    .set({ handleResult: HANDLE_RESULT.cancelled, handleUid, handleTime })
    .where(and(
      eq(groupRequests.groupId, groupId),
      eq(groupRequests.handleResult, HANDLE_RESULT.pending),
    ));
}
