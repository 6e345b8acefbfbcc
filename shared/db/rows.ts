/** Reads and writes that are the same for every table keyed by a text `id`. */
import { eq, type SQL } from "drizzle-orm";
import type { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";
import type { Db } from "./client.ts";

type TableWithId = SQLiteTable & { id: SQLiteColumn };

/** The row of `table` with this id, if any. */
export async function findRowById<T extends TableWithId>(
  db: Db,
  table: T,
  id: string,
): Promise<T["$inferSelect"] | undefined> {
  return await db.select().from(table).where(eq(table.id, id)).get();
}

/**
 * Applies `patch` to the row `where` picks and returns it (undefined: no such row). An empty
 * patch only reads the row: SQL has no UPDATE with an empty SET.
 */
export async function patchRow<T extends SQLiteTable>(
  db: Db,
  table: T,
  where: SQL | undefined,
  patch: Partial<T["$inferInsert"]>,
): Promise<T["$inferSelect"] | undefined> {
  if (Object.keys(patch).length === 0) return await db.select().from(table).where(where).get();
  return await db.update(table).set(patch).where(where).returning().get();
}
