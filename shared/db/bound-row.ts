/** The select list of an INSERT … SELECT that inserts one given row only when its WHERE holds. */
import { getTableColumns, type SQL, sql } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";

/** Every column of `table` as `? AS column_name`, bound to the value `row` gives it. */
export function boundRow<T extends SQLiteTable>(
  table: T,
  row: Required<T["$inferInsert"]>,
): { [K in keyof T["$inferInsert"]]: SQL.Aliased<T["$inferInsert"][K]> } {
  const values = row as Record<string, unknown>;
  const columns = Object.entries(getTableColumns(table));
  return Object.fromEntries(
    columns.map(([key, column]) => [key, sql`${values[key]}`.as(column.name)]),
  ) as { [K in keyof T["$inferInsert"]]: SQL.Aliased<T["$inferInsert"][K]> };
}
