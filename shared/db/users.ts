/** User queries. Every one is parameterised and every list is bounded. */
import { eq, inArray, sql } from "drizzle-orm";
import type { Db } from "./client.ts";
import { chunk } from "./chunks.ts";
import { users } from "./schema.ts";

export type UserRow = typeof users.$inferSelect;
export type NewUserRow = typeof users.$inferInsert;
export type UserPatch = Partial<Pick<UserRow, "nickname" | "nicknameFolded" | "avatar" | "sex">>;
/** The profile a friend or group member is listed with. */
export type ProfileFields = Pick<UserRow, "nickname" | "avatar">;

/** The columns of ProfileFields, for joins that list people. */
export const profileColumns = { nickname: users.nickname, avatar: users.avatar };

/** Inserts a user; a taken phone surfaces as a UNIQUE violation (see isUniqueViolation). */
export async function insertUser(db: Db, row: NewUserRow): Promise<void> {
  await db.insert(users).values(row);
}

export async function findUserById(db: Db, id: string): Promise<UserRow | undefined> {
  return await db.select().from(users).where(eq(users.id, id)).get();
}

export async function findUserByPhone(db: Db, phone: string): Promise<UserRow | undefined> {
  return await db.select().from(users).where(eq(users.phone, phone)).get();
}

/** Users whose folded nickname contains `foldedNeedle` literally (instr: no LIKE wildcards). */
export async function searchUsersByNickname(
  db: Db,
  foldedNeedle: string,
  limit: number,
): Promise<UserRow[]> {
  return await db.select().from(users)
    .where(sql`instr(${users.nicknameFolded}, ${foldedNeedle}) > 0`)
    .orderBy(users.createdAt, users.id)
    .limit(limit);
}

/** Users with the given ids, in chunks that respect D1's bound-parameter limit. */
export async function findUsersByIds(db: Db, ids: readonly string[]): Promise<UserRow[]> {
  const found: UserRow[] = [];
  for (const part of chunk(ids)) {
    found.push(...await db.select().from(users).where(inArray(users.id, part)));
  }
  return found;
}

/** Applies a partial update and returns the updated row. */
export async function updateUser(
  db: Db,
  id: string,
  patch: UserPatch,
): Promise<UserRow | undefined> {
  if (Object.keys(patch).length === 0) return await findUserById(db, id);
  return await db.update(users).set(patch).where(eq(users.id, id)).returning().get();
}
