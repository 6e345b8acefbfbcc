/**
 * Structured logs: one JSON object per line, so `wrangler tail` and Workers Logs show fields that
 * can be filtered (`$.requestId`, `$.status`) instead of free text.
 */

export interface LogFields {
  /** What happened, e.g. "request", "error", "delivery failed". */
  msg: string;
  [field: string]: unknown;
}

/** The error's class, message and stack as plain fields (an Error does not JSON-serialize). */
export function errorFields(error: unknown): Record<string, unknown> {
  if (error instanceof Error) {
    return { error: error.name, message: error.message, stack: error.stack };
  }
  return { error: String(error) };
}

/** Writes one JSON line at info level. */
export function logInfo(fields: LogFields): void {
  console.log(JSON.stringify({ level: "info", ...fields }));
}

/** Writes one JSON line at warn level (a failure that is retried). */
export function logWarn(fields: LogFields): void {
  console.warn(JSON.stringify({ level: "warn", ...fields }));
}

/** Writes one JSON line at error level. */
export function logError(fields: LogFields): void {
  console.error(JSON.stringify({ level: "error", ...fields }));
}
