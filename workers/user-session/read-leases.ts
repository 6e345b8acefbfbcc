/**
 * The session's side of the read budget (USER_READS; the Worker's side and the precision are in
 * workers/api/read-leases.ts): one call answers whether a token is revoked and leases the
 * isolate up to READ_LEASE_SIZE reads, taken from the user's sliding window before they are
 * served. The unused reads of the isolate's previous lease come back with the call.
 */
import { USER_READS } from "../../shared/limits.ts";
import type { TokenState } from "./token-state.ts";
import type { UserLimits } from "./user-limits.ts";

/** Reads one lease carries at most: the most a user can be refused early per other isolate. */
export const READ_LEASE_SIZE = 25;

/** A lease: the token's revocation answer and the reads granted (0: over the budget). */
export interface ReadLease {
  revoked: boolean;
  slot: string;
  granted: number;
  /** When nothing was granted: seconds until a read fits. */
  retryAfter: number;
}

/** The unused rest of an earlier lease. */
export interface ReturnedReads {
  slot: string;
  unused: number;
}

/** Answers a token's revocation with a lease of reads (none for a revoked token). */
export function leaseReads(
  tokens: TokenState,
  limits: UserLimits,
  jti: string,
  version: number,
  returned: ReturnedReads | undefined,
): ReadLease {
  if (returned) limits.giveBackSome(returned.slot, returned.unused);
  if (tokens.isRevoked(jti, version)) {
    return { revoked: true, slot: "", granted: 0, retryAfter: 0 };
  }
  const taken = limits.takeUpTo(USER_READS, READ_LEASE_SIZE);
  if (!taken.ok) return { revoked: false, slot: "", granted: 0, retryAfter: taken.retryAfter };
  return { revoked: false, slot: taken.slot, granted: taken.granted, retryAfter: 0 };
}
