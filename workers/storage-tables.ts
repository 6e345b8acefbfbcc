/**
 * Objects create their SQLite tables with their first entitled write, never merely by waking
 * (CONTRACT §9: nothing stored for a request that is refused or only reads), and bring tables
 * made by an earlier version up to date when they wake.
 */

/** A column added to a table after its first version: [name, definition]. */
export type AddedColumn = readonly [name: string, definition: string];

/** True when the object's storage has a table by this name (a read: it creates nothing). */
export function hasTable(sql: SqlStorage, name: string): boolean {
  return tableDefinition(sql, name) !== null;
}

/**
 * The table's CREATE statement as SQLite keeps it — columns added later included — or null when
 * there is no such table (a read: it creates nothing).
 */
export function tableDefinition(sql: SqlStorage, name: string): string | null {
  const row = sql.exec<{ sql: string }>(
    "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?",
    name,
  ).toArray()[0];
  return row?.sql ?? null;
}

/** SQL columns of `columns` for a CREATE TABLE: `, name definition` each. */
export function columnsSql(columns: readonly AddedColumn[]): string {
  return columns.map(([name, definition]) => `,\n  ${name} ${definition}`).join("");
}

/** Adds to `table` those of `columns` it lacks (a table made before they existed). */
export function addMissingColumns(
  sql: SqlStorage,
  table: string,
  columns: readonly AddedColumn[],
): void {
  const present = new Set(
    sql.exec<{ name: string }>(`SELECT name FROM pragma_table_info('${table}')`).toArray()
      .map((row) => row.name),
  );
  for (const [name, definition] of columns) {
    if (!present.has(name)) sql.exec(`ALTER TABLE ${table} ADD COLUMN ${name} ${definition}`);
  }
}
