/**
 * Messages stored straight through the Conversation object, past the sender's per-user message
 * limit: for tests that need hundreds of messages and are about something else (sync, history).
 */
import { env } from "cloudflare:workers";
import { sendToConversation } from "../../shared/chat/service.ts";
import type { SendAck } from "../../shared/chat/schemas.ts";
import type { TestUser } from "./http.ts";

/** Stores a text from `from` to `recvId` as a send would, and returns the ack. */
export function storeText(
  from: TestUser,
  recvId: string,
  content: string,
  chatType: 1 | 2 = 2,
): Promise<SendAck> {
  const outgoing = { chatType, recvId, msg: { mType: 0, content } };
  return sendToConversation(env, from.id, outgoing, crypto.randomUUID());
}
