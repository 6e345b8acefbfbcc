/**
 * Chat as the Worker's routes and the UserSession objects use it (CONTRACT §5, §6): each
 * function addresses the Conversation and UserSession objects it needs by name and turns their
 * outcomes back into typed errors on this side. Conversation ids arrive parsed.
 */
import { InvalidParamsError, NotFoundError } from "../errors.ts";
import { unwrapOutcome } from "../rpc-outcome.ts";
import { askConversation } from "./conversation-asks.ts";
import { type ChatType, conversationFor } from "./conversation-id.ts";
import { checkMessageContent } from "./message-content.ts";
import { pushFrame } from "../protocol/index.ts";
import type {
  ConversationSummary,
  ConversationUpdates,
  DeleteChatlogBody,
  OutgoingMessage,
  SendAck,
} from "./schemas.ts";

type ConversationBinding = Pick<Env, "CONVERSATION">;
type SessionBinding = Pick<Env, "USER_SESSION">;

export type { OutgoingMessage, SendAck };

/**
 * Sends (or idempotently re-sends) a message from `senderId`; the ack means it is stored. It
 * goes through the sender's UserSession, which holds the per-user message limit (CONTRACT §9).
 */
export async function sendMessage(
  env: SessionBinding,
  senderId: string,
  outgoing: OutgoingMessage,
  clientMsgId: string,
): Promise<SendAck> {
  const session = env.USER_SESSION.getByName(senderId);
  return unwrapOutcome(await session.sendMessage(outgoing, clientMsgId));
}

/** The send itself, from the sender's UserSession once the message limit let it through. */
export async function sendToConversation(
  env: ConversationBinding,
  senderId: string,
  outgoing: OutgoingMessage,
  clientMsgId: string,
): Promise<SendAck> {
  const conversation = conversationFor(outgoing.chatType, senderId, outgoing.recvId);
  if (
    outgoing.conversationId !== undefined &&
    outgoing.conversationId !== conversation.conversationId
  ) {
    throw new InvalidParamsError("conversationId: does not match chatType and recvId");
  }
  checkMessageContent(outgoing.msg);
  const { mType, content, media } = outgoing.msg;
  const { replyTo, mentions } = outgoing;
  return await askConversation(env, conversation, senderId, "send", {
    clientMsgId,
    mType,
    content,
    replyTo,
    mentions,
    media,
  });
}

/** Puts the conversation `userId` addresses with (chatType, recvId) in their list. */
export async function setupConversation(
  env: ConversationBinding & SessionBinding,
  userId: string,
  { chatType, recvId }: { chatType: ChatType; recvId: string },
): Promise<ConversationSummary> {
  const conversation = conversationFor(chatType, userId, recvId);
  const position = await askConversation(env, conversation, userId, "position", null);
  return await env.USER_SESSION.getByName(userId).openConversation(conversation, position);
}

/** `userId`'s `limit` most recently active conversations, keyed by conversation id. */
export async function listConversations(
  env: SessionBinding,
  userId: string,
  limit: number,
): Promise<Record<string, ConversationSummary>> {
  const rows = await env.USER_SESSION.getByName(userId).listConversations(limit);
  return Object.fromEntries(rows.map((row) => [row.conversationId, row]));
}

/** Marks read and shows or hides conversations of `userId`'s list, in the order given. */
export async function updateConversations(
  env: SessionBinding,
  userId: string,
  updates: ConversationUpdates,
): Promise<void> {
  const session = env.USER_SESSION.getByName(userId);
  for (const [conversation, change] of updates) {
    if (change.read !== undefined) {
      unwrapOutcome(await session.markConversationRead(conversation, change.read));
    }
    const { isShow, muted, pinned } = change;
    if (
      (isShow !== undefined || muted !== undefined || pinned !== undefined) &&
      !await session.setConversationSettings(conversation.conversationId, { isShow, muted, pinned })
    ) {
      const msg = `conversationList.${conversation.conversationId}: not in your conversation list`;
      throw new NotFoundError(msg);
    }
  }
}

/**
 * Delete for me: hides messages from `userId`'s own history, and tells the user's own sockets
 * (`chatlog.deleted`) so their other devices hide them too. Nobody else is told.
 */
export async function deleteForMe(
  env: ConversationBinding & SessionBinding,
  userId: string,
  { conversationId: conversation, ...body }: DeleteChatlogBody,
): Promise<void> {
  const hidden = await askConversation(env, conversation, userId, "hide", body);
  if (hidden.msgIds.length === 0 && hidden.upToSeq === 0) return;
  const { conversationId } = conversation;
  // The hiding is stored: a device that misses this push sees it in its next chatlog or sync.
  await env.USER_SESSION.getByName(userId).push(
    pushFrame("chatlog.deleted", { conversationId, ...hidden }),
  )
    .catch((error: unknown) => console.warn(`chatlog.deleted push to ${userId} failed:`, error));
}
