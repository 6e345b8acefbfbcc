/**
 * How the Worker and the UserSession objects talk to Conversation objects: one function per
 * use, each turning the object's outcome back into a typed error on this side.
 */
import { type ChatType, conversationIdFor } from "../../shared/chat/conversation-id.ts";
import { checkMessageContent, type MessageBody } from "../../shared/chat/message-content.ts";
import type { SendAck } from "../../shared/chat/types.ts";
import { InvalidParamsError } from "../../shared/errors.ts";
import { unwrapOutcome } from "../../shared/rpc-outcome.ts";

export interface OutgoingMessage {
  chatType: ChatType;
  recvId: string;
  /** Optional on the WebSocket: when given it must name the same conversation. */
  conversationId?: string | undefined;
  msg: MessageBody;
}

/** Sends (or idempotently re-sends) a message from `senderId`; the ack means it is stored. */
export async function sendMessage(
  env: Env,
  senderId: string,
  outgoing: OutgoingMessage,
  clientMsgId: string,
): Promise<SendAck> {
  const conversationId = conversationIdFor(outgoing.chatType, senderId, outgoing.recvId);
  if (outgoing.conversationId !== undefined && outgoing.conversationId !== conversationId) {
    throw new InvalidParamsError("conversationId: does not match chatType and recvId");
  }
  checkMessageContent(outgoing.msg);
  const outcome = await env.CONVERSATION.getByName(conversationId).send({
    conversationId,
    senderId,
    clientMsgId,
    mType: outgoing.msg.mType,
    content: outgoing.msg.content,
  });
  return unwrapOutcome(outcome);
}

/** The Conversation object for a conversation id. */
export function conversationObject(env: Env, conversationId: string) {
  return env.CONVERSATION.getByName(conversationId);
}
