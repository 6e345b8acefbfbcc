/**
 * Objects create their SQLite tables with their first entitled write, never merely by waking
 * (CONTRACT §9: nothing stored for a request that is refused or only reads).
 */

/** True when the object's storage has a table by this name (a read: it creates nothing). */
export function hasTable(sql: SqlStorage, name: string): boolean {
  return sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", name).toArray()
    .length > 0;
}
