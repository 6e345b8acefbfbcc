/**
 * Password hashing: bcrypt, cost 10. bcrypt ignores bytes past 72, so the API rejects longer
 * passwords instead of silently truncating them (see MAX_PASSWORD_BYTES).
 */
import { compare, hash } from "bcrypt-ts";

export const BCRYPT_COST = 10;
export const MIN_PASSWORD_BYTES = 6;
export const MAX_PASSWORD_BYTES = 72;

// A real hash of a random string, compared against when the phone is unknown so that a failed
// login costs the same bcrypt work whether or not the account exists.
const TIMING_DUMMY_HASH = "$2b$10$RaB4HGjbN16Vy77DxLmoCuIF0gLpws1PBdlZWUc01XgNB.ueGV/O.";

/** Hashes a password with bcrypt at BCRYPT_COST. */
export function hashPassword(password: string): Promise<string> {
  return hash(password, BCRYPT_COST);
}

/** Compares a password to a stored hash; with no hash, burns the same time and says no. */
export async function verifyPassword(
  password: string,
  storedHash: string | null,
): Promise<boolean> {
  const matches = await compare(password, storedHash ?? TIMING_DUMMY_HASH);
  return storedHash !== null && matches;
}
