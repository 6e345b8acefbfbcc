/** Recognising constraint failures from either driver (D1 and libSQL wrap them differently). */

/** True when `error` (or any error in its cause chain) is a UNIQUE constraint failure. */
export function isUniqueViolation(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current && depth < 5; depth++) {
    const message = current instanceof Error ? current.message : String(current);
    if (message.includes("UNIQUE constraint failed")) return true;
    current = current instanceof Error ? current.cause : undefined;
  }
  return false;
}
