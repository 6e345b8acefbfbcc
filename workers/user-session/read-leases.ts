/**
 * The session's side of the read budget (USER_READS; the Worker's side and the precision are in
 * workers/api/read-leases.ts): one call answers whether a token is revoked and leases the
 * isolate the reads it asks for (READ_LEASE_SMALLEST to READ_LEASE_LARGEST), taken from the user's sliding window before they are
 * served. The unused reads of the isolate's previous lease come back with the call.
 *
 * The window is a short list of leases (at most USER_READS.limit / READ_LEASE_SMALLEST)
 * under one storage key (read through the storage's own cache), saved without waiting for the
 * save to be confirmed (`allowUnconfirmed`): a lease's answer must not wait for a disk flush, since a GET waits for
 * it. A lease the storage then loses (the machine fails in that instant) goes uncounted: at most
 * READ_LEASE_LARGEST reads, once.
 */
import { READ_LEASE_LARGEST, READ_LEASE_SMALLEST, USER_READS } from "../../shared/limits.ts";
import type { TokenState } from "./token-state.ts";

/** The storage key of the user's leases of the last minute. */
export const READ_LEASES_KEY = "read-leases";

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

interface LeaseRecord {
  slot: string;
  at: number;
  count: number;
}

export class ReadLeases {
  constructor(
    private readonly storage: DurableObjectStorage,
    private readonly tokens: TokenState,
  ) {}

  /** Answers a token's revocation with a lease of reads (none for a revoked token). */
  async lease(
    jti: string,
    version: number,
    returned: ReturnedReads | undefined,
    wanted = READ_LEASE_SMALLEST,
    now = Date.now(),
  ): Promise<ReadLease> {
    // The input gate holds other calls while this reads: the read, the change and the put are
    // one step.
    const stored = (await this.storage.get<LeaseRecord[]>(READ_LEASES_KEY)) ?? [];
    const windowMs = USER_READS.windowSeconds * 1000;
    const leases = stored.filter((lease) => lease.at > now - windowMs && lease.count > 0);
    const given = returned && leases.find((lease) => lease.slot === returned.slot);
    if (given) given.count = Math.max(0, given.count - returned.unused);
    let answer: ReadLease;
    if (this.tokens.isRevoked(jti, version)) {
      answer = { revoked: true, slot: "", granted: 0, retryAfter: 0 };
    } else {
      const used = leases.reduce((sum, lease) => sum + lease.count, 0);
      const size = Math.min(Math.max(wanted, READ_LEASE_SMALLEST), READ_LEASE_LARGEST);
      const granted = Math.min(size, USER_READS.limit - used);
      if (granted > 0) {
        const slot = crypto.randomUUID();
        leases.push({ slot, at: now, count: granted });
        answer = { revoked: false, slot, granted, retryAfter: 0 };
      } else {
        answer = { revoked: false, slot: "", granted: 0, retryAfter: waitFor(leases, now) };
      }
    }
    // Not awaited and not confirmed before the answer: see the file's comment.
    this.storage.put(READ_LEASES_KEY, leases, { allowUnconfirmed: true });
    return answer;
  }
}

/** Seconds until one read fits: the oldest leases must leave the window first. */
function waitFor(leases: LeaseRecord[], now: number): number {
  const windowMs = USER_READS.windowSeconds * 1000;
  let used = leases.reduce((sum, lease) => sum + lease.count, 0);
  for (const lease of leases) {
    used -= lease.count;
    if (used < USER_READS.limit) {
      return Math.max(1, Math.ceil((lease.at + windowMs - now) / 1000));
    }
  }
  return 1;
}
