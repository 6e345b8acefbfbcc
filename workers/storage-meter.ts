/**
 * Rows written to Durable Object SQLite storage by this isolate's objects: the unit Cloudflare
 * bills SQLite-backed objects by, and the bench's "storage rows written per delivered message".
 * An object's stores take their `sql` through `metered`, which counts each statement's rows.
 */
let rowsWritten = 0;

/** `sql` with every `exec` counted (the statement's rows written, once it ran). */
export function metered(sql: SqlStorage): SqlStorage {
  return new Proxy(sql, {
    get(target, property) {
      if (property === "exec") {
        return (query: string, ...bindings: unknown[]) => {
          const cursor = target.exec(query, ...bindings);
          rowsWritten += cursor.rowsWritten;
          return cursor;
        };
      }
      const value: unknown = Reflect.get(target, property);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** Rows written through `metered` storage by this isolate since it started. */
export function isolateRowsWritten(): number {
  return rowsWritten;
}
