/**
 * Conversation ids (CONTRACT §5): a single chat is the two user ids sorted and joined with "_";
 * a group chat is the group id. The shape alone tells which, because ids never contain "_".
 * An id is parsed once, where it enters (conversationIdSchema for clients, the object's own
 * name in a Conversation); everything past that point passes the parsed form around.
 */
import { InvalidParamsError } from "../errors.ts";
import { ID_PATTERN } from "../ids.ts";

export const CHAT_TYPE = { group: 1, single: 2 } as const;
export type ChatType = (typeof CHAT_TYPE)[keyof typeof CHAT_TYPE];

export type ParsedConversationId =
  | { chatType: typeof CHAT_TYPE.group; conversationId: string; groupId: string }
  | {
    chatType: typeof CHAT_TYPE.single;
    conversationId: string;
    userIds: readonly [string, string];
  };

/** The parsed form of a conversation id, or undefined when `text` is not one. */
export function readConversationId(text: string): ParsedConversationId | undefined {
  const parts = text.split("_");
  if (parts.length === 1 && ID_PATTERN.test(text)) {
    return { chatType: CHAT_TYPE.group, conversationId: text, groupId: text };
  }
  const [a, b] = parts;
  if (
    parts.length === 2 && a !== undefined && b !== undefined && ID_PATTERN.test(a) &&
    ID_PATTERN.test(b) && a < b
  ) {
    return { chatType: CHAT_TYPE.single, conversationId: text, userIds: [a, b] };
  }
  return undefined;
}

/** Parses a conversation id; throws InvalidParamsError when malformed. */
export function parseConversationId(text: string): ParsedConversationId {
  const parsed = readConversationId(text);
  if (!parsed) throw new InvalidParamsError("conversationId: not a conversation id");
  return parsed;
}

/** The conversation a sender addresses with (chatType, recvId); `recvId` is a checked id. */
export function conversationFor(
  chatType: ChatType,
  senderId: string,
  recvId: string,
): ParsedConversationId {
  if (chatType === CHAT_TYPE.group) {
    return { chatType, conversationId: recvId, groupId: recvId };
  }
  if (recvId === senderId) throw new InvalidParamsError("recvId: cannot chat with yourself");
  const userIds = senderId < recvId ? [senderId, recvId] as const : [recvId, senderId] as const;
  return { chatType, conversationId: userIds.join("_"), userIds };
}

/**
 * Who `userId` sees on the other side: the other user of a single chat, the group of a group
 * chat. It is a message's `recvId` (with the sender as `userId`) and a list row's `targetId`.
 */
export function targetIdFor(conversation: ParsedConversationId, userId: string): string {
  if (conversation.chatType === CHAT_TYPE.group) return conversation.groupId;
  const [a, b] = conversation.userIds;
  return a === userId ? b : a;
}
