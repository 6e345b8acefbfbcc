/** Chat test helpers: many users fast, sends over HTTP, conversation ids, the list. */
import { expect } from "vitest";
import { pairKey } from "../../shared/ids.ts";
import { api, type TestUser } from "./http.ts";
import { makeFriends, quickUser } from "./social.ts";
import type { Frame } from "./ws.ts";

export { pairKey };

// deno-lint-ignore no-explicit-any -- tests read whatever shape the route answers
type Json = any;

/** `count` users written straight into D1 with signed tokens (see quickUser). */
export async function quickUsers(count: number, prefix = "member"): Promise<TestUser[]> {
  const users: TestUser[] = [];
  for (let i = 0; i < count; i++) users.push(await quickUser(`${prefix}${i}`));
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

/** Alice and Bob, friends, and their single-chat conversation id. */
export async function friendsPair() {
  const alice = await quickUser("Alice");
  const bob = await quickUser("Bob");
  await makeFriends(alice, bob);
  return { alice, bob, conversationId: pairKey(alice.id, bob.id) };
}

/** A message push frame (`method: "push"`). */
export const isPush = (frame: Frame) => frame.frameType === 0 && frame.method === "push";
