/**
 * Keyset pagination: every list is ordered by (time, id) and a page starts strictly after the
 * last row of the previous one — no OFFSET, so a page costs the same wherever it is.
 */
import { and, eq, gt, or, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";

/** Where the previous page ended. */
export interface PagePosition {
  time: number;
  id: string;
}

/** `(time, id) > (after.time, after.id)`, or no condition on the first page. */
export function afterPosition(
  time: SQLiteColumn,
  id: SQLiteColumn,
  after: PagePosition | undefined,
): SQL | undefined {
  if (!after) return undefined;
  return or(gt(time, after.time), and(eq(time, after.time), gt(id, after.id)));
}
