/**
 * Friend and join requests have one pending slot per pair (a UNIQUE index). Between reading that
 * the slot is free and inserting, a concurrent request can take it; these run that race.
 */
import { isUniqueViolation } from "../db/errors.ts";
import { ConflictError } from "../errors.ts";

/**
 * Runs `round` up to twice, until it answers: a round answers undefined when a concurrent request
 * took the pending slot, and the next round finds that request. Two lost rounds are a 409.
 */
export async function inTwoRounds<T>(
  round: () => Promise<T | undefined>,
  conflict: string,
): Promise<T> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const answer = await round();
    if (answer !== undefined) return answer;
  }
  throw new ConflictError(conflict);
}

/** Inserts a pending request and reads it back; undefined when a twin request won the slot. */
export async function insertPending<R>(
  insert: () => Promise<unknown>,
  readBack: () => Promise<R | undefined>,
): Promise<R | undefined> {
  try {
    await insert();
    return await readBack();
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return undefined;
  }
}
