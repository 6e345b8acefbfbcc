/**
 * The read budget (CONTRACT §15: 600 authenticated GETs per user per minute) without a call per
 * GET. The user's UserSession counts reads in its sliding window and hands each isolate a lease
 * of them (READ_LEASE_SMALLEST, doubling up to READ_LEASE_LARGEST while the user's reads spend
 * each lease within READ_LEASE_HOT_MS) together with the token's revocation answer (the question
 * every request asks it anyway, workers/user-session/read-leases.ts). The isolate serves GETs
 * from its lease with no call at all, and asks again when the lease is spent, older than
 * READ_LEASE_MS, or the token's revocation answer is older than REVOCATION_CACHE_MS; the unused
 * reads of a lease go back with that ask. A refusal is remembered until its Retry-After, so a
 * user over the budget costs no call either.
 *
 * Precision: reads are taken before they are served, so no user ever gets more than 600 in a
 * minute across isolates; a lease that another isolate holds unused (at most READ_LEASE_LARGEST per
 * isolate, given back at its next ask, or counted until it leaves the window if that isolate
 * never asks again) can refuse a user up to that many reads early.
 */
import type { VerifiedToken } from "../../shared/auth/tokens.ts";
import { UnauthorizedError } from "../../shared/errors.ts";
import { READ_LEASE_LARGEST, READ_LEASE_SMALLEST, USER_READS } from "../../shared/limits.ts";
import { rateLimited } from "../../shared/rate-limit.ts";
import { knownRevocation, remember, rememberRevocation } from "./token-revocations.ts";

/** How long an isolate may serve reads from one lease before it asks again. */
export const READ_LEASE_MS = 10_000;
/**
 * A lease spent within this long asks for twice as many reads next time: a user reading fast
 * costs one call per READ_LEASE_LARGEST reads, one reading slowly holds few reads in any isolate.
 */
const READ_LEASE_HOT_MS = 2_500;

interface HeldLease {
  /** The session's name for the lease, to give its unused reads back. */
  slot: string;
  left: number;
  /** Reads the lease was granted. */
  size: number;
  at: number;
  /** Unix ms until which the user is over the budget (0: not refused). */
  refusedUntil: number;
  /** The ask in flight: other reads of the user wait for it rather than ask too. */
  renewing?: Promise<void>;
}

/** By user id; bounded like the revocation answers. */
const leases = new Map<string, HeldLease>();

const OVER_BUDGET = `too many reads: at most ${USER_READS.limit} a minute`;

/**
 * Checks a GET's token and takes one read of its user's budget: 401 for a revoked token, 429
 * with Retry-After over the budget.
 */
export async function takeRead(namespace: Env["USER_SESSION"], token: VerifiedToken) {
  for (;;) {
    const now = Date.now();
    const known = knownRevocation(token, now);
    if (known === "revoked") throw new UnauthorizedError("token has been revoked");
    const held = leases.get(token.userId);
    if (held?.renewing) {
      await held.renewing;
      continue;
    }
    if (known === "fresh" && held) {
      if (held.left > 0 && now - held.at < READ_LEASE_MS) {
        held.left -= 1;
        return;
      }
      if (held.refusedUntil > now) {
        throw rateLimited(OVER_BUDGET, Math.ceil((held.refusedUntil - now) / 1000));
      }
    }
    await renew(namespace, token, held);
  }
}

/** Asks the session for a new lease, giving back what is left of the one held. */
async function renew(
  namespace: Env["USER_SESSION"],
  token: VerifiedToken,
  held: HeldLease | undefined,
): Promise<void> {
  const lease: HeldLease = held ?? { slot: "", left: 0, size: 0, at: 0, refusedUntil: 0 };
  const returned = lease.left > 0 ? { slot: lease.slot, unused: lease.left } : undefined;
  const spentFast = lease.size > 0 && lease.left === 0 && Date.now() - lease.at < READ_LEASE_HOT_MS;
  const wanted = spentFast ? Math.min(lease.size * 2, READ_LEASE_LARGEST) : READ_LEASE_SMALLEST;
  lease.left = 0;
  const session = namespace.getByName(token.userId);
  const ask = session.leaseReads(token.jti, token.version, returned, wanted);
  lease.renewing = ask.then((answer) => {
    const at = Date.now();
    rememberRevocation(token, answer.revoked, at);
    lease.slot = answer.slot;
    lease.left = answer.granted;
    lease.size = answer.granted;
    lease.at = at;
    lease.refusedUntil = answer.granted === 0 && !answer.revoked
      ? at + answer.retryAfter * 1000
      : 0;
  });
  remember(leases, token.userId, lease);
  try {
    await lease.renewing;
  } finally {
    lease.renewing = undefined;
  }
}
