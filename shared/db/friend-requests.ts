/**
 * Friend request queries. The partial unique index on `pair_key` allows one pending request per
 * pair of users, whichever of them asked.
 */
import { and, eq, or } from "drizzle-orm";
import type { Db } from "./client.ts";
import { keysetPage, type PagePosition } from "./keyset.ts";
import { findRowById } from "./rows.ts";
import { friendRequests, HANDLE_RESULT } from "./schema.ts";

export type FriendRequestRow = typeof friendRequests.$inferSelect;
export type NewFriendRequestRow = typeof friendRequests.$inferInsert;

/** Inserts a pending request; a second pending one for the pair is a UNIQUE violation. */
export async function insertFriendRequest(db: Db, row: NewFriendRequestRow): Promise<void> {
  await db.insert(friendRequests).values(row);
}

export async function findFriendRequestById(
  db: Db,
  id: string,
): Promise<FriendRequestRow | undefined> {
  return await findRowById(db, friendRequests, id);
}

/** The pending request between the pair `pairKey` names, in either direction. */
export async function findPendingFriendRequest(
  db: Db,
  pairKey: string,
): Promise<FriendRequestRow | undefined> {
  return await db.select().from(friendRequests).where(and(
    eq(friendRequests.pairKey, pairKey),
    eq(friendRequests.handleResult, HANDLE_RESULT.pending),
  )).get();
}

/**
 * One page of pending requests `userId` received (`userId` is the one asked) or sent (`reqUid`),
 * ordered by (reqTime, id).
 */
export async function listPendingFriendRequests(
  db: Db,
  userId: string,
  direction: "received" | "sent",
  limit: number,
  after?: PagePosition,
): Promise<FriendRequestRow[]> {
  const party = direction === "received" ? friendRequests.userId : friendRequests.reqUid;
  const filter = and(eq(party, userId), eq(friendRequests.handleResult, HANDLE_RESULT.pending));
  const key = [friendRequests.reqTime, friendRequests.id] as const;
  return await keysetPage(db.select().from(friendRequests).$dynamic(), key, filter, limit, after);
}

/**
 * A statement (alone or in a batch) moving a still-pending request to `handleResult`; it returns
 * the updated row, or nothing when the request was no longer pending.
 */
export function settleFriendRequest(
  db: Db,
  id: string,
  settlement: { handleResult: number; handleMsg: string; handledAt: number },
) {
  return db.update(friendRequests).set(settlement)
    .where(and(
      eq(friendRequests.id, id),
      eq(friendRequests.handleResult, HANDLE_RESULT.pending),
    ))
    .returning();
}

/**
 * True when a friend request between the two was ever passed: only then can their single chat
 * have stored anything (it needs a friendship to be set up or sent to).
 */
export async function wereEverFriends(db: Db, a: string, b: string): Promise<boolean> {
  const row = await db.select({ id: friendRequests.id }).from(friendRequests).where(and(
    or(
      and(eq(friendRequests.userId, a), eq(friendRequests.reqUid, b)),
      and(eq(friendRequests.userId, b), eq(friendRequests.reqUid, a)),
    ),
    eq(friendRequests.handleResult, HANDLE_RESULT.passed),
  )).get();
  return row !== undefined;
}
