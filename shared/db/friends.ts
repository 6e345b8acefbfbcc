/** Friendship queries: one row per direction (a→b and b→a), always written and removed together. */
import { and, eq, or, sql } from "drizzle-orm";
import { boundRow } from "./bound-row.ts";
import type { Db } from "./client.ts";
import { keysetPage, type PagePosition, type PlaceholderPosition } from "./keyset.ts";
import { preparedPerDb } from "./prepared.ts";
import { friendRequests, friends, HANDLE_RESULT } from "./schema.ts";
import { type ProfileFields, selectWithProfile } from "./users.ts";

export type FriendRow = typeof friends.$inferSelect;
export type FriendWithProfileRow = FriendRow & ProfileFields;

/** Friends are listed oldest friendship first. */
const byFriendshipAge = [friends.createdAt, friends.id] as const;

/** `addSource` of a friendship made by a friend request (the only way there is). */
export const ADD_SOURCE_FRIEND_REQUEST = 1;

/** True when `userId` has `otherId` as a friend. */
export async function areFriends(db: Db, userId: string, otherId: string): Promise<boolean> {
  const row = await db.select({ id: friends.id }).from(friends)
    .where(and(eq(friends.userId, userId), eq(friends.friendUid, otherId))).get();
  return row !== undefined;
}

/** Up to `limit` friend ids of `userId`, oldest friendship first. */
export async function listFriendIds(db: Db, userId: string, limit: number): Promise<string[]> {
  const query = db.select({ friendUid: friends.friendUid }).from(friends).$dynamic();
  const rows = await keysetPage(query, byFriendshipAge, eq(friends.userId, userId), limit);
  return rows.map((row) => row.friendUid);
}

/** `userId`'s friendship row towards `friendUid`, with the friend's nickname and avatar. */
export async function findFriend(
  db: Db,
  userId: string,
  friendUid: string,
): Promise<FriendWithProfileRow | undefined> {
  return await selectWithProfile(db, friends, friends.friendUid)
    .where(and(eq(friends.userId, userId), eq(friends.friendUid, friendUid)))
    .get();
}

/** The friend list's first page and later pages, prepared once per handle (a hot read). */
const friendPages = preparedPerDb((db) => {
  const page = (after?: PlaceholderPosition) =>
    keysetPage(
      selectWithProfile(db, friends, friends.friendUid).$dynamic(),
      byFriendshipAge,
      eq(friends.userId, sql.placeholder("userId")),
      sql.placeholder("limit"),
      after,
    ).prepare();
  const afterPosition = { time: sql.placeholder("time"), id: sql.placeholder("id") };
  return { first: page(), after: page(afterPosition) };
});

/** One page of `userId`'s friends with their profiles, ordered by (createdAt, id). */
export async function listFriendsWithProfiles(
  db: Db,
  userId: string,
  limit: number,
  after?: PagePosition,
): Promise<FriendWithProfileRow[]> {
  const pages = friendPages(db);
  if (after === undefined) return await pages.first.all({ userId, limit });
  return await pages.after.all({ userId, limit, time: after.time, id: after.id });
}

/** Sets the remark `userId` keeps for `friendUid`; undefined when they are not friends. */
export async function updateFriendRemark(
  db: Db,
  userId: string,
  friendUid: string,
  remark: string,
): Promise<FriendRow | undefined> {
  return await db.update(friends).set({ remark })
    .where(and(eq(friends.userId, userId), eq(friends.friendUid, friendUid)))
    .returning().get();
}

/** Removes both directions in one statement; returns how many rows went (0 or 2). */
export async function deleteFriendship(db: Db, userId: string, friendUid: string): Promise<number> {
  const removed = await db.delete(friends).where(or(
    and(eq(friends.userId, userId), eq(friends.friendUid, friendUid)),
    and(eq(friends.userId, friendUid), eq(friends.friendUid, userId)),
  )).returning({ id: friends.id });
  return removed.length;
}

/**
 * A batch statement adding the friendship `userId`→`friendUid` only while friend request
 * `requestId` is still pending, so a request handled concurrently (refused, cancelled, passed
 * by a twin call) adds nothing. An existing row is left alone.
 */
export function insertFriendIfRequestPending(
  db: Db,
  row: Pick<FriendRow, "id" | "userId" | "friendUid" | "createdAt">,
  requestId: string,
) {
  const friend = { ...row, remark: "", addSource: ADD_SOURCE_FRIEND_REQUEST };
  return db.insert(friends).select((qb) =>
    qb.select(boundRow(friends, friend)).from(friendRequests).where(and(
      eq(friendRequests.id, requestId),
      eq(friendRequests.handleResult, HANDLE_RESULT.pending),
    ))
  ).onConflictDoNothing();
}
