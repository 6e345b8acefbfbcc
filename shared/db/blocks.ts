/**
 * Block list queries (CONTRACT §10): `user_id` has blocked `blocked_uid`. The unique index makes
 * a second row for the same pair and direction impossible, so blocking is idempotent under races.
 */
import { and, count, eq, inArray, lt, or, sql } from "drizzle-orm";
import { MAX_BLOCKS_PER_USER } from "../limits.ts";
import { boundRow } from "./bound-row.ts";
import { chunk } from "./chunks.ts";
import type { Db } from "./client.ts";
import { keysetPage, type PagePosition } from "./keyset.ts";
import { blocks, users } from "./schema.ts";

export type BlockRow = typeof blocks.$inferSelect;

/** A blocked user as the block list shows them, with the block's key for paging. */
export interface BlockedUserRow {
  id: string;
  nickname: string;
  avatar: string;
  sex: number;
  blockId: string;
  blockedAt: number;
}

/** The blocks between two users, in either direction (at most two rows). */
export async function blocksBetween(db: Db, a: string, b: string): Promise<BlockRow[]> {
  return await db.select().from(blocks).where(or(
    and(eq(blocks.userId, a), eq(blocks.blockedUid, b)),
    and(eq(blocks.userId, b), eq(blocks.blockedUid, a)),
  )).all();
}

/** True when `userId` has blocked `otherId`. */
export async function hasBlocked(db: Db, userId: string, otherId: string): Promise<boolean> {
  const row = await db.select({ id: blocks.id }).from(blocks)
    .where(and(eq(blocks.userId, userId), eq(blocks.blockedUid, otherId))).get();
  return row !== undefined;
}

/** Which of `userIds` have blocked `viewerId` (they look offline to the viewer). */
export async function blockersAmong(
  db: Db,
  viewerId: string,
  userIds: readonly string[],
): Promise<Set<string>> {
  const blockers = new Set<string>();
  for (const part of chunk(userIds)) {
    const rows = await db.select({ userId: blocks.userId }).from(blocks)
      .where(and(eq(blocks.blockedUid, viewerId), inArray(blocks.userId, part))).all();
    for (const row of rows) blockers.add(row.userId);
  }
  return blockers;
}

/** Which of `userIds` `userId` has blocked (they hear nothing of `userId`'s presence). */
export async function blockedAmong(
  db: Db,
  userId: string,
  userIds: readonly string[],
): Promise<Set<string>> {
  const blocked = new Set<string>();
  for (const part of chunk(userIds)) {
    const rows = await db.select({ blockedUid: blocks.blockedUid }).from(blocks)
      .where(and(eq(blocks.userId, userId), inArray(blocks.blockedUid, part))).all();
    for (const row of rows) blocked.add(row.blockedUid);
  }
  return blocked;
}

/**
 * Inserts the block `row` only while its user has fewer than MAX_BLOCKS_PER_USER blocks (counted
 * in the same statement, so a burst cannot pass the cap); an existing block of the same pair is
 * left alone. Returns the inserted row, or nothing (already blocked, or at the cap).
 */
export async function insertBlockIfRoom(db: Db, row: BlockRow): Promise<BlockRow | undefined> {
  const blocksOfUser = db.select({ n: count() }).from(blocks)
    .where(eq(blocks.userId, row.userId));
  return await db.insert(blocks).select((qb) =>
    qb.select(boundRow(blocks, row)).from(sql`(SELECT 1)`)
      .where(lt(sql`(${blocksOfUser})`, MAX_BLOCKS_PER_USER))
  ).onConflictDoNothing().returning().get();
}

/** Removes `userId`'s block of `otherId`; true when there was one. */
export async function deleteBlock(db: Db, userId: string, otherId: string): Promise<boolean> {
  const removed = await db.delete(blocks)
    .where(and(eq(blocks.userId, userId), eq(blocks.blockedUid, otherId)))
    .returning({ id: blocks.id });
  return removed.length > 0;
}

/** One page of the users `userId` has blocked, ordered by (block time, block id). */
export async function listBlockedUsers(
  db: Db,
  userId: string,
  limit: number,
  after?: PagePosition,
): Promise<BlockedUserRow[]> {
  const query = db.select({
    id: users.id,
    nickname: users.nickname,
    avatar: users.avatar,
    sex: users.sex,
    blockId: blocks.id,
    blockedAt: blocks.createdAt,
  }).from(blocks).innerJoin(users, eq(users.id, blocks.blockedUid)).$dynamic();
  const key = [blocks.createdAt, blocks.id] as const;
  return await keysetPage(query, key, eq(blocks.userId, userId), limit, after);
}
