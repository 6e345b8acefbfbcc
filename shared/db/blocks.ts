/**
 * Block list queries (CONTRACT §10): `user_id` has blocked `blocked_uid`. The unique index makes
 * a second row for the same pair and direction impossible, so blocking is idempotent under races.
 */
import { and, eq, inArray, or } from "drizzle-orm";
import { chunk } from "./chunks.ts";
import type { Db } from "./client.ts";
import { blocks } from "./schema.ts";

export type BlockRow = typeof blocks.$inferSelect;

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
