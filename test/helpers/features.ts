/** Helpers for the tests of CONTRACT §13: reactions, pins, read counts, search. */
import { expect } from "vitest";
import { api, type TestUser } from "./http.ts";
import type { Frame } from "./ws.ts";

// deno-lint-ignore no-explicit-any -- JSON answers as the API gives them
type Json = any;

export function react(
  user: TestUser,
  conversationId: string,
  msgId: string,
  emoji: string,
  on = true,
) {
  return api(on ? "PUT" : "DELETE", "/v1/im/chat/reaction", {
    token: user.token,
    body: { conversationId, msgId, emoji },
  });
}

export function pin(user: TestUser, conversationId: string, msgId: string, pinned = true) {
  return api(pinned ? "POST" : "DELETE", "/v1/im/chat/pin", {
    token: user.token,
    body: { conversationId, msgId },
  });
}

export async function pinsOf(user: TestUser, conversationId: string): Promise<Json[]> {
  const query = new URLSearchParams({ conversationId });
  const answer = await api("GET", `/v1/im/chat/pins?${query}`, { token: user.token });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body.data.list;
}

export function searchRaw(user: TestUser, query: Record<string, string | number>) {
  const search = new URLSearchParams(
    Object.entries(query).map(([key, value]): [string, string] => [key, String(value)]),
  );
  return api("GET", `/v1/im/search?${search}`, { token: user.token });
}

/** GET /v1/im/search expecting 200: its data. */
export async function search(
  user: TestUser,
  query: Record<string, string | number>,
): Promise<Json> {
  const answer = await searchRaw(user, query);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body.data;
}

/** The contents search finds for `q`, newest first. */
export async function found(user: TestUser, q: string, conversationId?: string) {
  const data = await search(user, { q, ...(conversationId && { conversationId }) });
  return data.list.map((hit: Json) => hit.message.content as string);
}

export const isReaction = (frame: Frame) => frame.frameType === 0 && frame.method === "reaction";
export const isPin = (frame: Frame) => frame.frameType === 0 && frame.method === "pin";
export const isReadCount = (frame: Frame) => frame.frameType === 0 && frame.method === "read.count";
