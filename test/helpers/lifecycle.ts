/** Helpers for the message lifecycle tests (CONTRACT §10): recall, edit, delete, rich sends. */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect, vi } from "vitest";
import { Conversation } from "../../workers/conversation/index.ts";
import { api, type TestUser } from "./http.ts";
import type { Frame } from "./ws.ts";

// deno-lint-ignore no-explicit-any -- JSON answers as the API gives them
type Json = any;

export function recall(user: TestUser, conversationId: string, msgId: string) {
  return api("POST", "/v1/im/chat/recall", { token: user.token, body: { conversationId, msgId } });
}

export function edit(user: TestUser, conversationId: string, msgId: string, content: string) {
  return api("PUT", "/v1/im/chat", {
    token: user.token,
    body: { conversationId, msgId, content },
  });
}

export function deleteForMe(
  user: TestUser,
  body: { conversationId: string; msgIds?: string[]; upToSeq?: number },
) {
  return api("DELETE", "/v1/im/chatlog", { token: user.token, body });
}

/** POST /v1/im/chat with a reply and/or mentions; returns the raw answer. */
export function sendWith(
  from: TestUser,
  recvId: string,
  content: string,
  extras: { replyTo?: string; mentions?: string[] },
  chatType = 2,
) {
  return api("POST", "/v1/im/chat", {
    token: from.token,
    body: {
      chatType,
      recvId,
      msg: { mType: 0, content },
      clientMsgId: crypto.randomUUID(),
      ...extras,
    },
  });
}

/** GET /v1/im/chatlog/changes, expecting 200; returns its data. */
export async function changesOf(
  user: TestUser,
  conversationId: string,
  afterChangeSeq = 0,
): Promise<Json> {
  const query = new URLSearchParams({ conversationId, afterChangeSeq: String(afterChangeSeq) });
  const answer = await api("GET", `/v1/im/chatlog/changes?${query}`, { token: user.token });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body.data;
}

/**
 * Makes a stored message `ms` older, as if sent that long before: the time windows of recall
 * and edit are tested without waiting minutes.
 */
export async function ageMessage(conversationId: string, msgId: string, ms: number) {
  await runInDurableObject(
    env.CONVERSATION.getByName(conversationId),
    (_instance: unknown, state: DurableObjectState) => {
      state.storage.sql.exec(
        "UPDATE messages SET send_time = send_time - ? WHERE msg_id = ?",
        ms,
        msgId,
      );
    },
  );
}

export const isRecall = (frame: Frame) => frame.frameType === 0 && frame.method === "recall";
export const isEdit = (frame: Frame) => frame.frameType === 0 && frame.method === "edit";
/** A message, recall or edit push: what order within a conversation is about. */
export const isConversationPush = (frame: Frame) =>
  frame.frameType === 0 && ["push", "recall", "edit"].includes(frame.method);

/**
 * Holds every `conversation.sync` answer open after the Conversation has read it: the caller
 * waits for `entered()`, makes something happen meanwhile (a live message, a recall), then
 * `release()`s the answer. Restore with `vi.restoreAllMocks()`.
 */
export function holdSyncAnswers(): { entered: () => Promise<void>; release: () => void } {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let entered = false;
  const original = Conversation.prototype.ask;
  vi.spyOn(Conversation.prototype, "ask").mockImplementation(
    async function (this: Conversation, ...args: Parameters<Conversation["ask"]>) {
      const result = await original.apply(this, args);
      if (args[1] !== "catchUp") return result;
      entered = true;
      await gate;
      return result;
    } as Conversation["ask"],
  );
  return { entered: () => vi.waitFor(() => expect(entered).toBe(true)), release };
}
