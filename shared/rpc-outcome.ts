/**
 * Durable Object RPC drops custom error classes (a thrown ConflictError arrives as a plain
 * Error), so objects return domain failures as values and callers turn them back into errors.
 */
import { AppError, type ErrorCode, type ErrorStatus } from "./errors.ts";

export type RpcOutcome<T> =
  | { ok: true; value: T }
  | { ok: false; status: ErrorStatus; code: ErrorCode; msg: string };

/** Runs `work`; an AppError becomes a failed outcome, anything else still throws. */
export async function outcomeOf<T>(work: () => T | Promise<T>): Promise<RpcOutcome<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    if (error instanceof AppError) {
      return { ok: false, status: error.status, code: error.code, msg: error.message };
    }
    throw error;
  }
}

/** The value of an outcome, or the AppError it carried, thrown again on this side. */
export function unwrapOutcome<T>(outcome: RpcOutcome<T>): T {
  if (outcome.ok) return outcome.value;
  throw new AppError(outcome.status, outcome.code, outcome.msg);
}
