/**
 * D1 binds at most 100 parameters per statement; `IN (...)` lists are split into chunks well
 * under that so the same code runs on D1 and libSQL.
 */
export const MAX_IN_LIST = 50;

/** Splits `items` into arrays of at most `size`. */
export function chunk<T>(items: readonly T[], size = MAX_IN_LIST): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}
