/**
 * Access tokens: HS256 JWTs with sub/iat/exp/iss/aud (CONTRACT §2). Verification pins the
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
}

/** The HMAC key for `secret`; throws ConfigurationError when it is under MIN_SECRET_BYTES. */
export function secretKey(secret: string | undefined): Uint8Array {
  const key = new TextEncoder().encode(secret ?? "");
  if (key.byteLength < MIN_SECRET_BYTES) {
    throw new ConfigurationError(
      `JWT_SECRET must be at least ${MIN_SECRET_BYTES} bytes; refusing to sign or verify`,
    );
  }
  return key;
}

/** Signs an access token for `userId`; throws ConfigurationError on a short secret. */
export async function signAccessToken(
  userId: string,
  config: TokenConfig,
  nowSeconds = Math.floor(Date.now() / 1000),
): Promise<IssuedToken> {
  const key = secretKey(config.secret);
  const expire = nowSeconds + config.ttlSeconds;
  const token = await new SignJWT({})
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(userId)
    .setIssuedAt(nowSeconds)
    .setExpirationTime(expire)
    .setIssuer(TOKEN_ISSUER)
    .setAudience(TOKEN_AUDIENCE)
    .sign(key);
  return { token, expire };
}

/** Verifies a token and returns its subject; any defect is an UnauthorizedError. */
export async function verifyAccessToken(
  token: string,
  config: Pick<TokenConfig, "secret">,
): Promise<VerifiedToken> {
  const key = secretKey(config.secret);
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
    return { userId: payload.sub, expire: payload.exp };
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
