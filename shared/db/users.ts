/** User queries. Every one is parameterised and every list is bounded. */
import { eq, getTableColumns, inArray, sql } from "drizzle-orm";
import type { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";
import { chunk } from "./chunks.ts";
import type { Db } from "./client.ts";
import { preparedPerDb } from "./prepared.ts";
import { patchRow } from "./rows.ts";
import { users } from "./schema.ts";

export type UserRow = typeof users.$inferSelect;
export type NewUserRow = typeof users.$inferInsert;
export type UserPatch = Partial<Pick<UserRow, "nickname" | "nicknameFolded" | "avatar" | "sex">>;
/** The profile a friend or group member is listed with. */
export type ProfileFields = Pick<UserRow, "nickname" | "avatar">;

/**
 * Every column of `table` plus the nickname and avatar of the user `userId` (a column of `table`)
 * names: how friends and group members are listed.
 */
export function selectWithProfile<T extends SQLiteTable>(db: Db, table: T, userId: SQLiteColumn) {
  const profile = { nickname: users.nickname, avatar: users.avatar };
  return db.select({ ...getTableColumns(table), ...profile }).from(table)
    .innerJoin(users, eq(users.id, userId));
}

/** Inserts a user; a taken phone surfaces as a UNIQUE violation (see isUniqueViolation). */
export async function insertUser(db: Db, row: NewUserRow): Promise<void> {
  await db.insert(users).values(row);
}

/** The most read row: every profile read, login and friend ask; prepared once per handle. */
const userById = preparedPerDb((db) =>
  db.select().from(users).where(eq(users.id, sql.placeholder("id"))).prepare()
);

export async function findUserById(db: Db, id: string): Promise<UserRow | undefined> {
  return await userById(db).get({ id });
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
  return await patchRow(db, users, eq(users.id, id), patch);
}
