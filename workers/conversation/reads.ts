/**
 * The read side of a Conversation: history pages and read records, as functions of the store,
 * so the object's class keeps to routing RPCs and the write path.
 */
import { CHAT_TYPE, type ParsedConversationId } from "../../shared/chat/conversation-id.ts";
import type { ChatLog } from "../../shared/chat/types.ts";
import { NotFoundError } from "../../shared/errors.ts";
import { readableUpTo } from "./membership.ts";
import type { ConversationIdentity, ConversationStore } from "./store.ts";

export interface HistoryQuery {
  afterSeq?: number;
  beforeSeq?: number;
  count: number;
}

export interface ReadRecords {
  reads: string[];
  unReads: string[];
}

/** What the store's rows need to become ChatLogs: the conversation id and chat type. */
export function identityOf(parsed: ParsedConversationId): ConversationIdentity {
  return { conversationId: parsed.conversationId, chatType: parsed.chatType };
}

/**
 * Messages `userId` may read, ascending: after `afterSeq` (up to `beforeSeq` when both are
 * given), the `count` just before `beforeSeq`, or the newest `count`.
 */
export function readHistory(
  store: ConversationStore,
  parsed: ParsedConversationId,
  userId: string,
  query: HistoryQuery,
): ChatLog[] {
  const who = identityOf(parsed);
  const upTo = readableUpTo(store, parsed, userId);
  if (query.afterSeq !== undefined) {
    const end = query.beforeSeq === undefined ? upTo : Math.min(upTo, query.beforeSeq - 1);
    return store.messagesAfter(query.afterSeq, end, query.count, who);
  }
  if (query.beforeSeq !== undefined) {
    return store.messagesBefore(query.beforeSeq, upTo, query.count, who);
  }
  return store.messagesBefore(upTo + 1, upTo, query.count, who);
}

/** Current members other than message `seq`'s sender, split by whether they have read it. */
export function readRecordsOf(
  store: ConversationStore,
  parsed: ParsedConversationId,
  userId: string,
  seq: number,
): ReadRecords {
  const upTo = readableUpTo(store, parsed, userId);
  const message = seq <= upTo ? store.message(seq, identityOf(parsed)) : null;
  if (!message) throw new NotFoundError(`seq: no message ${seq} in this conversation`);
  const records: ReadRecords = { reads: [], unReads: [] };
  for (const member of store.members()) {
    if (member.userId === message.sendId) continue;
    if (parsed.chatType === CHAT_TYPE.group && !member.active) continue;
    (member.readSeq >= seq ? records.reads : records.unReads).push(member.userId);
  }
  return records;
}
