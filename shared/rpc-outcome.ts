/**
 * Durable Object RPC drops custom error classes (a thrown ConflictError arrives as a plain
 * Error), so objects return domain failures as values and callers turn them back into errors.
 */
import { AppError, type ErrorCode, type ErrorStatus, RateLimitedError } from "./errors.ts";

export type RpcOutcome<T> =
  | { ok: true; value: T }
  | { ok: false; status: ErrorStatus; code: ErrorCode; msg: string; retryAfter?: number };

/** Runs `work`; an AppError becomes a failed outcome, anything else still throws. */
export async function outcomeOf<T>(work: () => T | Promise<T>): Promise<RpcOutcome<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    if (error instanceof RateLimitedError) {
      const { status, code, message: msg, retryAfterSeconds: retryAfter } = error;
      return { ok: false, status, code, msg, retryAfter };
    }
    if (error instanceof AppError) {
      return { ok: false, status: error.status, code: error.code, msg: error.message };
    }
    throw error;
  }
}

/** The value of an outcome, or the AppError it carried, thrown again on this side. */
export function unwrapOutcome<T>(outcome: RpcOutcome<T>): T {
  if (outcome.ok) return outcome.value;
  // A refusal by a rate limit keeps its wait, so the answer can say Retry-After.
  if (outcome.retryAfter !== undefined) throw new RateLimitedError(outcome.msg, outcome.retryAfter);
  throw new AppError(outcome.status, outcome.code, outcome.msg);
}
