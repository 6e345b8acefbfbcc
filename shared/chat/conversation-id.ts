/**
 * Conversation ids (CONTRACT §5): a single chat is the two user ids sorted and joined with "_";
 * a group chat is the group id. The shape alone tells which, because ids never contain "_".
 */
import { InvalidParamsError } from "../errors.ts";
import { ID_PATTERN, pairKey } from "../ids.ts";

export const CHAT_TYPE = { group: 1, single: 2 } as const;
export type ChatType = (typeof CHAT_TYPE)[keyof typeof CHAT_TYPE];

export type ParsedConversationId =
  | { chatType: typeof CHAT_TYPE.group; conversationId: string; groupId: string }
  | {
    chatType: typeof CHAT_TYPE.single;
    conversationId: string;
    userIds: readonly [string, string];
  };

/** Parses and checks a conversation id from a client; throws InvalidParamsError when malformed. */
export function parseConversationId(conversationId: string): ParsedConversationId {
  const parts = conversationId.split("_");
  if (parts.length === 1 && ID_PATTERN.test(conversationId)) {
    return { chatType: CHAT_TYPE.group, conversationId, groupId: conversationId };
  }
  const [a, b] = parts;
  if (
    parts.length === 2 && a !== undefined && b !== undefined && ID_PATTERN.test(a) &&
    ID_PATTERN.test(b) && a < b
  ) {
    return { chatType: CHAT_TYPE.single, conversationId, userIds: [a, b] };
  }
  throw new InvalidParamsError("conversationId: not a conversation id");
}

/** The conversation a sender addresses with (chatType, recvId). */
export function conversationIdFor(chatType: ChatType, senderId: string, recvId: string): string {
  if (chatType === CHAT_TYPE.group) return recvId;
  if (recvId === senderId) throw new InvalidParamsError("recvId: cannot chat with yourself");
  return pairKey(senderId, recvId);
}

/** Who `userId` sees on the other side: the peer in a single chat, the group in a group chat. */
export function targetIdFor(parsed: ParsedConversationId, userId: string): string {
  if (parsed.chatType === CHAT_TYPE.group) return parsed.groupId;
  return parsed.userIds[0] === userId ? parsed.userIds[1] : parsed.userIds[0];
}
