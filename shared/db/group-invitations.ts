/**
 * Group invitation queries (CONTRACT §15). The partial unique index on (group, inviter, invitee)
 * allows one pending invitation per inviter, invitee and group; settling statements only touch a
 * still-pending row, so racing answers settle it once.
 */
import { and, eq, gt, sql } from "drizzle-orm";
import type { Db } from "./client.ts";
import { keysetPage, type PagePosition } from "./keyset.ts";
import { findRowById } from "./rows.ts";
import { groupInvitations, groupMembers, HANDLE_RESULT } from "./schema.ts";

export type GroupInvitationRow = typeof groupInvitations.$inferSelect;
export type NewGroupInvitationRow = typeof groupInvitations.$inferInsert;

/** `status` values: the handleResult numbers, read as an invitation's answers. */
export const INVITATION_STATUS = {
  pending: HANDLE_RESULT.pending,
  accepted: HANDLE_RESULT.passed,
  declined: HANDLE_RESULT.refused,
  cancelled: HANDLE_RESULT.cancelled,
} as const;

const pending = eq(groupInvitations.status, INVITATION_STATUS.pending);

/** Inserts a pending invitation; a second pending one of the same trio is a UNIQUE violation. */
export async function insertGroupInvitation(db: Db, row: NewGroupInvitationRow): Promise<void> {
  await db.insert(groupInvitations).values(row);
}

export async function findGroupInvitationById(
  db: Db,
  id: string,
): Promise<GroupInvitationRow | undefined> {
  return await findRowById(db, groupInvitations, id);
}

/** `inviterUid`'s pending invitation of `inviteeUid` to `groupId`, if any (expired or not). */
export async function findPendingInvitation(
  db: Db,
  trio: { groupId: string; inviterUid: string; inviteeUid: string },
): Promise<GroupInvitationRow | undefined> {
  return await db.select().from(groupInvitations).where(and(
    eq(groupInvitations.groupId, trio.groupId),
    eq(groupInvitations.inviterUid, trio.inviterUid),
    eq(groupInvitations.inviteeUid, trio.inviteeUid),
    pending,
  )).get();
}

/** One page of `inviteeUid`'s pending invitations made after `since`, by (createdAt, id). */
export async function listPendingInvitationsOf(
  db: Db,
  inviteeUid: string,
  since: number,
  limit: number,
  after?: PagePosition,
): Promise<GroupInvitationRow[]> {
  const filter = and(
    eq(groupInvitations.inviteeUid, inviteeUid),
    pending,
    gt(groupInvitations.createdAt, since),
  );
  const key = [groupInvitations.createdAt, groupInvitations.id] as const;
  const query = db.select().from(groupInvitations).$dynamic();
  return await keysetPage(query, key, filter, limit, after);
}

/**
 * A statement giving a still-pending invitation its answer (`status`); with `memberId`, only once
 * that membership exists (the insert earlier in the same batch happened). Returns the row.
 */
export function settleInvitation(
  db: Db,
  id: string,
  status: number,
  handledAt: number,
  memberId?: string,
) {
  const joined = db.select({ one: sql`1` }).from(groupMembers)
    .where(eq(groupMembers.id, memberId ?? ""));
  return db.update(groupInvitations).set({ status, handledAt })
    .where(and(
      eq(groupInvitations.id, id),
      pending,
      memberId === undefined ? undefined : sql`exists ${joined}`,
    ))
    .returning();
}

/** A subquery: invitation `id` is still pending (a condition of the member insert it grants). */
export function invitationStillPending(db: Db, id: string) {
  return sql`exists ${
    db.select({ one: sql`1` }).from(groupInvitations)
      .where(and(eq(groupInvitations.id, id), pending))
  }`;
}

/**
 * A statement cancelling the pending invitations of `groupId` — all of them (the group is being
 * dissolved), or those `inviterUid` made (they are leaving it).
 */
export function cancelPendingInvitations(
  db: Db,
  groupId: string,
  handledAt: number,
  inviterUid?: string,
) {
  return db.update(groupInvitations)
    .set({ status: INVITATION_STATUS.cancelled, handledAt })
    .where(and(
      eq(groupInvitations.groupId, groupId),
      inviterUid === undefined ? undefined : eq(groupInvitations.inviterUid, inviterUid),
      pending,
    ));
}

/**
 * A batch statement closing the invitations still pending for someone who just joined (the
 * membership `memberId` exists): they are in, so other members' invitations are answered too.
 */
export function closeInvitationsOfJoiner(
  db: Db,
  member: { id: string; groupId: string; userId: string },
  handledAt: number,
) {
  const joined = db.select({ one: sql`1` }).from(groupMembers)
    .where(eq(groupMembers.id, member.id));
  return db.update(groupInvitations)
    .set({ status: INVITATION_STATUS.accepted, handledAt })
    .where(and(
      eq(groupInvitations.groupId, member.groupId),
      eq(groupInvitations.inviteeUid, member.userId),
      pending,
      sql`exists ${joined}`,
    ));
}
