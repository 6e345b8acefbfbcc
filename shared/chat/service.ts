/**
 * Chat as the Worker's routes and the UserSession objects use it (CONTRACT §5, §6): each
 * function addresses the Conversation and UserSession objects it needs by name and turns their
 * outcomes back into typed errors on this side. Conversation ids arrive parsed.
 */
import { InvalidParamsError, NotFoundError } from "../errors.ts";
import { unwrapOutcome } from "../rpc-outcome.ts";
import { type ChatType, conversationFor, type ParsedConversationId } from "./conversation-id.ts";
import { checkMessageContent } from "./message-content.ts";
import { pushFrame } from "../protocol/index.ts";
import type {
  ChatLog,
  ConversationSummary,
  ConversationUpdates,
  DeleteChatlogBody,
  EditedMessage,
  MessageChanges,
  OutgoingMessage,
  ReadRecords,
  Recall,
  SendAck,
} from "./schemas.ts";
import type { CatchUp, CatchUpQuery, ConversationPosition, HistoryQuery } from "./types.ts";

type ConversationBinding = Pick<Env, "CONVERSATION">;
type SessionBinding = Pick<Env, "USER_SESSION">;

function conversationObject(env: ConversationBinding, conversation: ParsedConversationId) {
  return env.CONVERSATION.getByName(conversation.conversationId);
}

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
  const { mType, content } = outgoing.msg;
  const { replyTo, mentions } = outgoing;
  return unwrapOutcome(
    await conversationObject(env, conversation).send({
      senderId,
      clientMsgId,
      mType,
      content,
      replyTo,
      mentions,
    }),
  );
}

/** Puts the conversation `userId` addresses with (chatType, recvId) in their list. */
export async function setupConversation(
  env: ConversationBinding & SessionBinding,
  userId: string,
  { chatType, recvId }: { chatType: ChatType; recvId: string },
): Promise<ConversationSummary> {
  const conversation = conversationFor(chatType, userId, recvId);
  const position = unwrapOutcome(await conversationObject(env, conversation).position(userId));
  return await env.USER_SESSION.getByName(userId).openConversation(conversation, position);
}

/** Where `userId`'s session stands in a conversation, as its object knows (null: nowhere). */
export async function deliveredPosition(
  env: ConversationBinding,
  userId: string,
  conversation: ParsedConversationId,
): Promise<ConversationPosition | null> {
  return unwrapOutcome(await conversationObject(env, conversation).deliveredPosition(userId));
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
    if (
      change.isShow !== undefined &&
      !await session.setConversationShown(conversation.conversationId, change.isShow)
    ) {
      const msg = `conversationList.${conversation.conversationId}: not in your conversation list`;
      throw new NotFoundError(msg);
    }
  }
}

/** A page of the history `userId` may read (see Conversation.history). */
export async function chatHistory(
  env: ConversationBinding,
  userId: string,
  conversation: ParsedConversationId,
  query: HistoryQuery,
): Promise<ChatLog[]> {
  return unwrapOutcome(await conversationObject(env, conversation).history(userId, query));
}

/** Recalls a message as `userId` (CONTRACT §10); a repeat answers as the first did. */
export async function recallMessage(
  env: ConversationBinding,
  userId: string,
  conversation: ParsedConversationId,
  msgId: string,
): Promise<Recall> {
  return unwrapOutcome(await conversationObject(env, conversation).recall(userId, msgId));
}

/**
 * Replaces the text of `userId`'s message (CONTRACT §10). `key` is the request's id (a frame id,
 * HTTP's `clientEditId`): a resent edit, or the same text again, changes nothing.
 */
export async function editMessage(
  env: ConversationBinding,
  userId: string,
  conversation: ParsedConversationId,
  edit: { msgId: string; content: string; key?: string | undefined },
): Promise<EditedMessage> {
  return unwrapOutcome(await conversationObject(env, conversation).edit(userId, edit));
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
  const hidden = unwrapOutcome(await conversationObject(env, conversation).hide(userId, body));
  if (hidden.msgIds.length === 0 && hidden.upToSeq === 0) return;
  const { conversationId } = conversation;
  // The hiding is stored: a device that misses this push sees it in its next chatlog or sync.
  await env.USER_SESSION.getByName(userId).push(
    pushFrame("chatlog.deleted", { conversationId, ...hidden }),
  )
    .catch((error: unknown) => console.warn(`chatlog.deleted push to ${userId} failed:`, error));
}

/** The recalls and edits of a conversation after `afterChange` that `userId` may see. */
export async function messageChanges(
  env: ConversationBinding,
  userId: string,
  conversation: ParsedConversationId,
  afterChange: number,
  count: number,
): Promise<MessageChanges> {
  return unwrapOutcome(
    await conversationObject(env, conversation).changes(userId, afterChange, count),
  );
}

/** What `userId` missed in a conversation, for `conversation.sync` (see Conversation.catchUp). */
export async function catchUp(
  env: ConversationBinding,
  userId: string,
  conversation: ParsedConversationId,
  query: CatchUpQuery,
): Promise<CatchUp> {
  return unwrapOutcome(await conversationObject(env, conversation).catchUp(userId, query));
}

/** Who of the current members (other than its sender) has read message `seq`. */
export async function getReadRecords(
  env: ConversationBinding,
  userId: string,
  conversation: ParsedConversationId,
  seq: number,
): Promise<ReadRecords> {
  return unwrapOutcome(await conversationObject(env, conversation).readRecords(userId, seq));
}

/** Moves `userId`'s read position in the conversation object; the read seq it reached. */
export async function markRead(
  env: ConversationBinding,
  userId: string,
  conversation: ParsedConversationId,
  seq: number,
): Promise<number> {
  return unwrapOutcome(await conversationObject(env, conversation).markRead(userId, seq));
}

/** The members who should see `userId` typing; refused unless `userId` may send there. */
export async function typingAudience(
  env: ConversationBinding,
  userId: string,
  conversation: ParsedConversationId,
): Promise<string[]> {
  return unwrapOutcome(await conversationObject(env, conversation).typingAudience(userId));
}
