/** The user service (CONTRACT §2, §9): register, login, logout, password, profile, find. */
import { hashPassword, MAX_PASSWORD_BYTES, verifyPassword } from "../auth/passwords.ts";
import {
  type IssuedToken,
  signAccessToken,
  type TokenConfig,
  type TokenRevocations,
  type VerifiedToken,
} from "../auth/tokens.ts";
import type { Db } from "../db/client.ts";
import { isUniqueViolation } from "../db/errors.ts";
import { setPasswordHash } from "../db/user-passwords.ts";
import * as userQueries from "../db/users.ts";
import { ConflictError, InvalidParamsError, NotFoundError, UnauthorizedError } from "../errors.ts";
import { ID_PATTERN, newId } from "../ids.ts";
import { FIND_BY_IDS_LIMIT, FIND_BY_NAME_LIMIT, REGISTRATIONS_PER_IP } from "../limits.ts";
import { type RateLimiter, takeOrThrow } from "../rate-limit.ts";
import { utf8ByteLength } from "../text.ts";
import type { ChangePasswordBody } from "./account-schemas.ts";
import { giveBackLoginSlots, takeLoginSlots } from "./login-limits.ts";
import {
  type FindUsersQuery,
  type LoginBody,
  type PublicUser,
  type RegisterBody,
  toPublicUser,
  toUser,
  type UpdateUserBody,
  type User,
} from "./schemas.ts";

const LOGIN_FAILED = "phone or password is wrong";

function foldNickname(nickname: string): string {
  return nickname.toLowerCase();
}

/** Creates an account and signs its first token; a taken phone is a ConflictError. */
export async function registerUser(
  db: Db,
  limiter: RateLimiter,
  body: RegisterBody,
  clientIp: string,
  tokens: TokenConfig,
): Promise<IssuedToken> {
  // Every attempt takes its slot before any work (a taken phone still cost a lookup).
  await takeOrThrow(
    limiter,
    `register-ip:${clientIp}`,
    [REGISTRATIONS_PER_IP],
    "too many registrations",
  );
  if (await userQueries.findUserByPhone(db, body.phone)) {
    throw new ConflictError("phone is already registered");
  }
  const nickname = body.nickname.trim();
  const row = {
    id: newId(),
    phone: body.phone,
    passwordHash: await hashPassword(body.password),
    nickname,
    nicknameFolded: foldNickname(nickname),
    avatar: body.avatar ?? "",
    sex: body.sex ?? 0,
    status: 0,
    createdAt: Date.now(),
  };
  try {
    await userQueries.insertUser(db, row);
  } catch (error) {
    // Two registrations of one phone racing: the unique index lets exactly one through.
    if (isUniqueViolation(error)) throw new ConflictError("phone is already registered");
    throw error;
  }
  return await signAccessToken(row.id, tokens);
}

/**
 * Checks a phone and password. Unknown phone and wrong password give the same error after the
 * same bcrypt work; failures count against the phone and the client IP.
 */
export async function loginUser(
  db: Db,
  limiter: RateLimiter,
  body: LoginBody,
  clientIp: string,
  tokens: TokenConfig,
): Promise<IssuedToken & { user: User }> {
  let version = 0;
  const row = await checkPassword(limiter, body.phone, body.password, clientIp, async () => {
    const found = await userQueries.findUserByPhone(db, body.phone);
    if (!found || !tokens.revocations) return found;
    version = await tokens.revocations.versionOf(found.id);
    // The hash is read after the version: a password change writes its hash before it revokes,
    // so a login that matched the old hash holds a version the change's revocation covers.
    return await userQueries.findUserById(db, found.id);
  });
  const issued = await signAccessToken(row.id, tokens, undefined, version);
  return { ...issued, user: toUser(row) };
}

/**
 * Checks `password` for the user `findRow` finds, as a login does: the failed-login slots
 * (login-limits.ts) are taken before the check and given back when the password is right.
 */
async function checkPassword(
  limiter: RateLimiter,
  phone: string,
  password: string,
  clientIp: string,
  findRow: () => Promise<userQueries.UserRow | undefined>,
): Promise<userQueries.UserRow> {
  const slots = await takeLoginSlots(limiter, phone, clientIp);
  const row = await findRow();
  // Over 72 bytes bcrypt would compare a truncated password: such a password never matches.
  const comparable = utf8ByteLength(password) <= MAX_PASSWORD_BYTES;
  const matches = await verifyPassword(password, comparable ? row?.passwordHash ?? null : null);
  if (!row || !matches) throw new UnauthorizedError(LOGIN_FAILED);
  await giveBackLoginSlots(limiter, slots);
  return row;
}

/** Revokes the presented token, or with `all` every token of its user. */
export async function logoutUser(
  revocations: TokenRevocations,
  token: VerifiedToken,
  all: boolean,
): Promise<void> {
  if (all) await revocations.revokeAll(token.userId);
  else await revocations.revoke(token);
}

/**
 * Changes the caller's password: the old one is checked like a login (a wrong one counts as a
 * failed login of the caller's phone), then every token signed so far is revoked and a fresh one
 * returned.
 */
export async function changePassword(
  db: Db,
  limiter: RateLimiter,
  userId: string,
  body: ChangePasswordBody,
  clientIp: string,
  tokens: TokenConfig & { revocations: TokenRevocations },
): Promise<IssuedToken> {
  const user = await userQueries.findUserById(db, userId);
  if (!user) throw new UnauthorizedError("token is missing, invalid or expired");
  await checkPassword(limiter, user.phone, body.oldPassword, clientIp, () => Promise.resolve(user));
  // Revoked before the hash changes (a failure after this point leaves no old token alive) and
  // again after it (a login that read the old hash meanwhile holds the version in between).
  await tokens.revocations.revokeAll(userId);
  if (!await setPasswordHash(db, userId, await hashPassword(body.newPassword))) {
    throw new NotFoundError("user not found");
  }
  const version = await tokens.revocations.revokeAll(userId);
  return await signAccessToken(userId, tokens, undefined, version);
}
/** The caller's own profile. */
export async function getUserInfo(db: Db, userId: string): Promise<User> {
  const row = await userQueries.findUserById(db, userId);
  if (!row) throw new NotFoundError("user not found");
  return toUser(row);
}

/** Updates nickname / avatar / sex of the caller and returns the new profile. */
export async function updateUserInfo(
  db: Db,
  userId: string,
  body: UpdateUserBody,
): Promise<User> {
  const nickname = body.nickname?.trim();
  const row = await userQueries.updateUser(db, userId, {
    ...(nickname !== undefined && { nickname, nicknameFolded: foldNickname(nickname) }),
    ...(body.avatar !== undefined && { avatar: body.avatar }),
    ...(body.sex !== undefined && { sex: body.sex }),
  });
  if (!row) throw new NotFoundError("user not found");
  return toUser(row);
}

/** Finds users by exact phone, nickname substring, or id list — in that priority. */
export async function findUsers(db: Db, query: FindUsersQuery): Promise<PublicUser[]> {
  if (query.phone !== undefined) {
    const row = await userQueries.findUserByPhone(db, query.phone);
    return row ? [toPublicUser(row)] : [];
  }
  if (query.name !== undefined) {
    const rows = await userQueries.searchUsersByNickname(
      db,
      foldNickname(query.name),
      FIND_BY_NAME_LIMIT,
    );
    return rows.map(toPublicUser);
  }
  const ids = parseIdList(query.ids ?? "");
  const rows = await userQueries.findUsersByIds(db, ids);
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.flatMap((id) => {
    const row = byId.get(id);
    return row ? [toPublicUser(row)] : [];
  });
}

function parseIdList(raw: string): string[] {
  const ids = [...new Set(raw.split(",").map((id) => id.trim()).filter((id) => id !== ""))];
  if (ids.length === 0) throw new InvalidParamsError("ids: give at least one id");
  if (ids.length > FIND_BY_IDS_LIMIT) {
    throw new InvalidParamsError(`ids: at most ${FIND_BY_IDS_LIMIT} ids`);
  }
  const bad = ids.find((id) => !ID_PATTERN.test(id));
  if (bad !== undefined) throw new InvalidParamsError("ids: every id must be a user id");
  return ids;
}
