/**
 * Token revocation as the Worker sees it (CONTRACT §9). Each user's UserSession is the authority
 * for that user's token state (workers/user-session/token-state.ts); the Worker asks it, and remembers answers in a
 * per-isolate cache so that most requests cost no RPC:
 * - "not revoked" is trusted for at most REVOCATION_CACHE_MS (60 s, the contract's bound for
 *   other servers); "revoked" is final and kept until evicted.
 * - this isolate's own revocations update the cache at once, so the server that revoked answers
 *   401 from the next request on.
 * - at most REVOCATION_CACHE_ENTRIES tokens are remembered; the oldest entry goes first.
 * A read (GET) asks the same question together with a lease of the user's read budget
 * (read-leases.ts), so a read costs no extra call.
 */
import type { TokenRevocations, VerifiedToken } from "../../shared/auth/tokens.ts";
import { UnauthorizedError } from "../../shared/errors.ts";

export const REVOCATION_CACHE_MS = 60_000;
export const REVOCATION_CACHE_ENTRIES = 10_000;

interface CachedAnswer {
  revoked: boolean;
  at: number;
}

const answers = new Map<string, CachedAnswer>();
/** Versions this isolate moved users to: older tokens are revoked without asking. */
const floors = new Map<string, number>();

function cacheKey(token: VerifiedToken): string {
  return `${token.userId}:${token.version}:${token.jti}`;
}

/** Sets `key` as the newest entry of a bounded per-isolate cache (the oldest goes first). */
export function remember<V>(map: Map<string, V>, key: string, value: V): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > REVOCATION_CACHE_ENTRIES) map.delete(map.keys().next().value!);
}

/**
 * What this isolate knows of a token right now: revoked (final), not revoked as of less than
 * REVOCATION_CACHE_MS ago ("fresh"), or nothing it may still trust ("unknown": ask the session).
 */
export function knownRevocation(
  token: VerifiedToken,
  now = Date.now(),
): "revoked" | "fresh" | "unknown" {
  const floor = floors.get(token.userId);
  const cached = answers.get(cacheKey(token));
  if ((floor !== undefined && token.version < floor) || cached?.revoked === true) return "revoked";
  return cached !== undefined && now - cached.at < REVOCATION_CACHE_MS ? "fresh" : "unknown";
}

/** Records the session's answer about a token. */
export function rememberRevocation(token: VerifiedToken, revoked: boolean, at = Date.now()): void {
  remember(answers, cacheKey(token), { revoked, at });
}

/** The port backed by the users' UserSession objects, with the per-isolate cache. */
export function sessionRevocations(namespace: Env["USER_SESSION"]): TokenRevocations {
  return {
    versionOf: (userId) => namespace.getByName(userId).tokenVersion(),
    async assertNotRevoked(token) {
      const now = Date.now();
      let known = knownRevocation(token, now);
      if (known === "unknown") {
        const revoked = await namespace.getByName(token.userId).isTokenRevoked(
          token.jti,
          token.version,
        );
        rememberRevocation(token, revoked, now);
        known = revoked ? "revoked" : "fresh";
      }
      if (known === "revoked") throw new UnauthorizedError("token has been revoked");
    },
    async revoke(token) {
      if (token.jti === "") {
        remember(floors, token.userId, await namespace.getByName(token.userId).revokeAllTokens());
        return;
      }
      await namespace.getByName(token.userId).revokeToken(token.jti, token.expire);
      rememberRevocation(token, true);
    },
    async revokeAll(userId) {
      const version = await namespace.getByName(userId).revokeAllTokens();
      remember(floors, userId, version);
      return version;
    },
  };
}
