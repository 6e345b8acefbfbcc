/**
 * Keyset pagination: every list is ordered by (time, id) and a page starts strictly after the
 * last row of the previous one — no OFFSET, so a page costs the same wherever it is.
 */
import { and, asc, eq, gt, or, type Placeholder, type SQL } from "drizzle-orm";
import type { SQLiteColumn, SQLiteSelect } from "drizzle-orm/sqlite-core";

/** Where the previous page ended. */
export interface PagePosition {
  time: number;
  id: string;
}

/** A page position whose values are bound when a prepared query runs (see prepared.ts). */
export interface PlaceholderPosition {
  time: Placeholder;
  id: Placeholder;
}

/** `(time, id) > (after.time, after.id)`, or no condition on the first page. */
function afterPosition(
  time: SQLiteColumn,
  id: SQLiteColumn,
  after: PagePosition | PlaceholderPosition | undefined,
): SQL | undefined {
  if (!after) return undefined;
  return or(gt(time, after.time), and(eq(time, after.time), gt(id, after.id)));
}

/**
 * One page of `query` (a `.$dynamic()` select): the rows matching `filter` after `after`,
 * ordered by the (time, id) `key`, at most `limit` of them.
 */
export function keysetPage<Q extends SQLiteSelect>(
  query: Q,
  key: readonly [time: SQLiteColumn, id: SQLiteColumn],
  filter: SQL | undefined,
  limit: number | Placeholder,
  after?: PagePosition | PlaceholderPosition,
): Q {
  const [time, id] = key;
  return query.where(and(filter, afterPosition(time, id, after)))
    .orderBy(asc(time), asc(id))
    .limit(limit);
}
