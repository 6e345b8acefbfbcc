/**
 * Test data for the app. Accounts are written straight into D1 and their tokens signed here with
 * the run's JWT_SECRET: registering 1,600 users over HTTP would spend minutes in bcrypt and
 * trip the per-IP registration limit, and registration has its own benchmark. Everything with
 * behaviour behind it — friendships, groups, memberships — goes through the HTTP API.
 */
import { randomUUID } from "node:crypto";
import http from "node:http";
import { hash } from "bcrypt-ts";
import { SignJWT } from "jose";
import { inParallel } from "./ws-client.mjs";
import { sendRequest } from "./http-load.mjs";

// Must match shared/auth/tokens.ts: the Worker pins issuer and audience.
const TOKEN_ISSUER = "easy-chat-edge";
const TOKEN_AUDIENCE = "easy-chat-edge";
export const SEED_PASSWORD = "bench-password";
// D1 caps a batch; 100 rows a batch keeps each well inside it.
const INSERT_BATCH = 100;

let phoneCounter = 0;

/** Phones unique within the run (the database is fresh per run). */
export function nextPhone() {
  phoneCounter++;
  return `1990${String(phoneCounter).padStart(7, "0")}`;
}

/** Signs a token exactly as the Worker would (HS256, sub/iat/exp/iss/aud). */
function signToken(userId, secret) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(userId)
    .setIssuedAt(now)
    .setExpirationTime(now + 24 * 3600)
    .setIssuer(TOKEN_ISSUER)
    .setAudience(TOKEN_AUDIENCE)
    .sign(new TextEncoder().encode(secret));
}

/** Inserts `count` users into D1 and returns `[{id, phone, token}]`. */
export async function seedUsers(app, count, label) {
  // One real bcrypt hash shared by all: these accounts can log in, at no seeding cost.
  const passwordHash = await hash(SEED_PASSWORD, 10);
  const users = [];
  for (let i = 0; i < count; i++) {
    const id = randomUUID().replaceAll("-", "");
    users.push({
      id,
      phone: nextPhone(),
      nickname: `${label}${i}`,
      token: await signToken(id, app.jwtSecret),
    });
  }
  await insertUsers(app.db, users, passwordHash);
  return users;
}

/** Writes `users` (`[{id, phone, nickname}]`) into a D1 database with the app's schema. */
export async function insertUsers(db, users, passwordHash) {
  const insert = db.prepare(
    "INSERT INTO users (id, phone, password_hash, nickname, nickname_folded, avatar, sex, status, created_at) VALUES (?, ?, ?, ?, ?, '', 0, 0, ?)",
  );
  for (let start = 0; start < users.length; start += INSERT_BATCH) {
    const rows = users.slice(start, start + INSERT_BATCH);
    await db.batch(
      rows.map((u) =>
        insert.bind(u.id, u.phone, passwordHash, u.nickname, u.nickname.toLowerCase(), Date.now())
      ),
    );
  }
}

/**
 * An API caller for the app: `call(method, path, token, body)` → data, throwing on failure.
 * A new connection per call: set-up traffic comes in bursts between phases, and a keep-alive
 * socket the server closed while idle fails the next request ("socket hang up").
 */
export function apiClient(app) {
  const agent = new http.Agent({ keepAlive: false });
  async function call(method, path, token, body, headers = {}) {
    const answer = await sendRequest(agent, new URL(path, app.url), {
      method,
      body,
      headers: { ...headers, ...(token && { Authorization: `Bearer ${token}` }) },
    });
    if (answer.status < 200 || answer.status > 299) {
      throw new Error(
        `${method} ${path} → ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`,
      );
    }
    return answer.body.data;
  }
  return { call, close: () => agent.destroy() };
}

/** Makes `a` and `b` friends: `a` asks, `b` passes (CONTRACT §3). */
export async function befriend(api, a, b) {
  const request = await api.call("POST", "/v1/social/friend/putIn", a.token, { userUid: b.id });
  await api.call("PUT", "/v1/social/friend/putIn", b.token, {
    friendReqId: request.id,
    handleResult: 2,
  });
}

/**
 * Creates an open group (isVerify false) owned by `members[0]`; the rest apply and are in at
 * once. Each member's join is their own write, so no one user's write limit (120 a minute) is
 * what bounds the set-up of a 500-member group.
 */
export async function createGroup(api, members, name, concurrency = 4) {
  const [owner, ...others] = members;
  const group = await api.call("POST", "/v1/social/group", owner.token, { name, isVerify: false });
  await inParallel(
    others.length,
    concurrency,
    (i) =>
      api.call("POST", "/v1/social/group/putIn", others[i].token, {
        groupId: group.id,
        joinSource: 2,
      }),
  );
  return group.id;
}
