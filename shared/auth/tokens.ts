/**
 * Access tokens: HS256 JWTs with sub/iat/exp/iss/aud (CONTRACT §2), plus `jti` (to revoke one
 * token) and `ver`, the user's token version when it was signed (to revoke all at once; see
 * revocation.ts). Verification pins the
 * algorithm, so `alg: none` and asymmetric-key confusion are refused before any signature work.
 */
import { errors as joseErrors, jwtVerify, SignJWT } from "jose";
import { ConfigurationError, UnauthorizedError } from "../errors.ts";

export const TOKEN_ISSUER = "easy-chat-edge";
export const TOKEN_AUDIENCE = "easy-chat-edge";
/** HS256 needs a key at least as long as its output; shorter secrets are refused outright. */
export const MIN_SECRET_BYTES = 32;
export const DEFAULT_TOKEN_TTL_SECONDS = 7 * 24 * 3600;

export interface TokenConfig {
  secret: string | undefined;
  ttlSeconds: number;
  /** The users' token state: logins sign with the current version. Absent: version 0. */
  revocations?: TokenRevocations;
}

/**
 * The users' token state (CONTRACT §9): the port the services use, backed by each user's
 * UserSession behind a per-isolate cache (workers/api/token-revocations.ts).
 */
export interface TokenRevocations {
  /** The version the user's new tokens are signed with. */
  versionOf(userId: string): Promise<number>;
  /** Throws UnauthorizedError when `token` has been revoked. */
  assertNotRevoked(token: VerifiedToken): Promise<void>;
  /** Revokes one token (a token without an id revokes every token of its user). */
  revoke(token: VerifiedToken): Promise<void>;
  /** Revokes every token of the user; the version new tokens get. */
  revokeAll(userId: string): Promise<number>;
}

export interface IssuedToken {
  token: string;
  /** The JWT `exp`, Unix seconds. */
  expire: number;
}

export interface VerifiedToken {
  userId: string;
  /** The JWT `exp`, Unix seconds. */
  expire: number;
  /** The token's own id; tokens signed before revocation existed have none (then "" here). */
  jti: string;
  /** The user's token version it was signed with (0 when absent). */
  version: number;
}

/**
 * Parts of the values people leave in place of a secret: the example file's
 * ("replace-with-at-least-32-random-bytes-of-secret") and the usual stand-ins. Such a value is
 * public, so anyone could forge tokens for a deployment that copied it.
 */
const PLACEHOLDER_MARKERS = ["replace-with", "changeme", "change-me", "your-secret", "placeholder"];
/** Fewer distinct characters than this is a typed pattern, not a random secret. */
const MIN_DISTINCT_CHARACTERS = 8;

/** Why `secret` may not sign or verify tokens, or undefined when it may. */
export function secretProblem(secret: string | undefined): string | undefined {
  const value = secret ?? "";
  if (new TextEncoder().encode(value).byteLength < MIN_SECRET_BYTES) {
    return `JWT_SECRET must be at least ${MIN_SECRET_BYTES} bytes`;
  }
  const folded = value.trim().toLowerCase();
  if (PLACEHOLDER_MARKERS.some((marker) => folded.includes(marker))) {
    return "JWT_SECRET is a placeholder value; generate a random one (e.g. openssl rand -hex 32)";
  }
  if (new Set(value).size < MIN_DISTINCT_CHARACTERS) {
    return "JWT_SECRET repeats too few characters to be random";
  }
  return undefined;
}

/**
 * The last secret checked, its bytes, and its imported HMAC key: the check, the encoding and
 * the import run once per isolate (jose imports a raw key on every call it is given one, which
 * cost ~2 % of a read's CPU).
 */
let checked: CheckedSecret | undefined;

interface CheckedSecret {
  secret: string | undefined;
  key: Uint8Array;
  hmacKey?: CryptoKey;
  /** Tokens that passed verification under this secret (see `verifyAccessToken`). */
  verified: Map<string, VerifiedToken>;
}

/** At most this many verified tokens are remembered per isolate; the oldest goes first. */
export const VERIFIED_TOKEN_CACHE_ENTRIES = 10_000;

function checkedSecret(secret: string | undefined): CheckedSecret {
  if (checked !== undefined && checked.secret === secret) return checked;
  const problem = secretProblem(secret);
  if (problem) throw new ConfigurationError(`${problem}; refusing to sign or verify`);
  const entry = { secret, key: new TextEncoder().encode(secret), verified: new Map() };
  checked = entry;
  return entry;
}

/** The HMAC key for `secret`; throws ConfigurationError for a short or placeholder secret. */
export function secretKey(secret: string | undefined): Uint8Array {
  return checkedSecret(secret).key;
}

/**
 * `secret` imported as an HS256 key, kept once imported; throws like `secretKey`. The key is
 * kept rather than the import's promise: a promise settled by one request and awaited by
 * another is a cross-request promise, which the runtime warns about.
 */
async function hmacKey(secret: string | undefined): Promise<CryptoKey> {
  const entry = checkedSecret(secret);
  entry.hmacKey ??= await crypto.subtle.importKey(
    "raw",
    new Uint8Array(entry.key),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign", "verify"],
  );
  return entry.hmacKey;
}

/**
 * Signs an access token for `userId` under the user's token `version` (see revocation.ts);
 * throws ConfigurationError on a short secret.
 */
export async function signAccessToken(
  userId: string,
  config: TokenConfig,
  nowSeconds = Math.floor(Date.now() / 1000),
  version = 0,
): Promise<IssuedToken> {
  const key = await hmacKey(config.secret);
  const expire = nowSeconds + config.ttlSeconds;
  const token = await new SignJWT({ ver: version })
    .setJti(crypto.randomUUID())
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(userId)
    .setIssuedAt(nowSeconds)
    .setExpirationTime(expire)
    .setIssuer(TOKEN_ISSUER)
    .setAudience(TOKEN_AUDIENCE)
    .sign(key);
  return { token, expire };
}

/**
 * Verifies a token and returns its subject; any defect is an UnauthorizedError.
 *
 * A token that passed is remembered, by its exact text, under the secret that verified it: the
 * same text under the same secret always verifies to the same claims, so a repeat skips the
 * base64, JSON and HMAC work (~8 % of a read's CPU) and only its expiry is checked again.
 * Revocation is not decided here (see TokenRevocations); a changed secret starts an empty cache.
 */
export async function verifyAccessToken(
  token: string,
  config: Pick<TokenConfig, "secret">,
): Promise<VerifiedToken> {
  const { verified } = checkedSecret(config.secret);
  const known = verified.get(token);
  if (known !== undefined) {
    // jose's rule, without clock tolerance: expired once `exp` is not after now (in seconds).
    if (known.expire <= Math.floor(Date.now() / 1000)) {
      verified.delete(token);
      throw new UnauthorizedError("token expired");
    }
    return known;
  }
  const claims = await verifyClaims(token, await hmacKey(config.secret));
  verified.set(token, Object.freeze(claims));
  if (verified.size > VERIFIED_TOKEN_CACHE_ENTRIES) verified.delete(verified.keys().next().value!);
  return claims;
}

/** The signature and claims check itself (jose), with every defect as an UnauthorizedError. */
async function verifyClaims(token: string, key: CryptoKey): Promise<VerifiedToken> {
  try {
    const { payload } = await jwtVerify(token, key, {
      algorithms: ["HS256"],
      issuer: TOKEN_ISSUER,
      audience: TOKEN_AUDIENCE,
      requiredClaims: ["sub", "iat", "exp"],
    });
    if (typeof payload.sub !== "string" || payload.sub === "" || typeof payload.exp !== "number") {
      throw new UnauthorizedError("token is missing required claims");
    }
    const version = payload.ver ?? 0;
    if (
      !Number.isInteger(version) || (payload.jti !== undefined && typeof payload.jti !== "string")
    ) {
      throw new UnauthorizedError("token has malformed claims");
    }
    return {
      userId: payload.sub,
      expire: payload.exp,
      jti: payload.jti ?? "",
      version: version as number,
    };
  } catch (error) {
    if (error instanceof UnauthorizedError) throw error;
    if (error instanceof joseErrors.JWTExpired) throw new UnauthorizedError("token expired");
    if (error instanceof joseErrors.JOSEError) throw new UnauthorizedError("token is invalid");
    throw error;
  }
}

/** Reads the token lifetime from config, falling back to the 7-day default. */
export function tokenTtlSeconds(raw: string | undefined): number {
  const parsed = Number(raw);
  return Number.isInteger(parsed) && parsed > 0 ? parsed : DEFAULT_TOKEN_TTL_SECONDS;
}
