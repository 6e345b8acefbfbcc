/** Chat test helpers: many users fast, sends over HTTP, conversation ids. */
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { signAccessToken } from "../../shared/auth/tokens.ts";
import { insertUser } from "../../shared/db/users.ts";
import { newId, pairKey } from "../../shared/ids.ts";
import { createD1TestDb } from "./d1-db.ts";
import { api, type TestUser, uniquePhone } from "./http.ts";

export { pairKey };

// deno-lint-ignore no-explicit-any -- tests read whatever shape the route answers
type Json = any;

/**
 * Users written straight into D1 with signed tokens: for tests that need hundreds of members,
 * where registering each would only measure bcrypt. They cannot log in with a password.
 */
export async function quickUsers(count: number, prefix = "member"): Promise<TestUser[]> {
  const db = createD1TestDb();
  const users: TestUser[] = [];
  for (let i = 0; i < count; i++) {
    const id = newId();
    const nickname = `${prefix}${i}`;
    const phone = uniquePhone();
    await insertUser(db, {
      id,
      phone,
      passwordHash: "-",
      nickname,
      nicknameFolded: nickname,
      createdAt: Date.now(),
    });
    const { token } = await signAccessToken(id, { secret: env.JWT_SECRET, ttlSeconds: 3600 });
    users.push({ id, token, phone, password: "", nickname });
  }
  return users;
}

/** Sends a text over HTTP, expects 200 and returns the ack. */
export async function sendText(
  from: TestUser,
  recvId: string,
  content: string,
  chatType = 2,
): Promise<Json> {
  const answer = await api("POST", "/v1/im/chat", {
    token: from.token,
    body: { chatType, recvId, msg: { mType: 0, content }, clientMsgId: crypto.randomUUID() },
  });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body.data;
}

/** GET /v1/im/chatlog with the given query, expecting 200; returns the list. */
export async function chatlog(
  user: TestUser,
  query: Record<string, string | number>,
): Promise<Json[]> {
  const search = new URLSearchParams(
    Object.entries(query).map(([key, value]): [string, string] => [key, String(value)]),
  );
  const answer = await api("GET", `/v1/im/chatlog?${search}`, { token: user.token });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body.data.list;
}

/** The caller's conversation list entry for `conversationId` (undefined when not listed). */
export async function conversationOf(user: TestUser, conversationId: string): Promise<Json> {
  const answer = await api("GET", "/v1/im/conversation", { token: user.token });
  expect(answer.status).toBe(200);
  return answer.body.data.conversationList[conversationId];
}
