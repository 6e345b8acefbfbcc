/**
 * Queries built once and run many times. Building a drizzle query (its SQL text, its column
 * mapping) cost ~12 % of a profile read's CPU when done per request; a prepared query keeps the
 * SQL and the statement and only binds the values (drizzle placeholders, still parameters, never
 * text). Kept per database handle: on D1 the handle lives as long as the isolate, so a hot read
 * is built once; on libSQL it lives for one request.
 */
import type { Db } from "./client.ts";

/** `build(db)`, made once per database handle and then reused. */
export function preparedPerDb<P>(build: (db: Db) => P): (db: Db) => P {
  const byDb = new WeakMap<Db, P>();
  return (db) => {
    let prepared = byDb.get(db);
    if (prepared === undefined) {
      prepared = build(db);
      byDb.set(db, prepared);
    }
    return prepared;
  };
}
