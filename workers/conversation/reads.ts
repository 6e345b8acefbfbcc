/**
 * The read side of a Conversation: history pages and read records, as functions of the store,
 * so the object's class keeps to routing RPCs and the write path.
 */
import { CHAT_TYPE } from "../../shared/chat/conversation-id.ts";
import type { ChatLog, ReadRecords } from "../../shared/chat/schemas.ts";
import type { HistoryQuery } from "../../shared/chat/types.ts";
import { NotFoundError } from "../../shared/errors.ts";
import { readableUpTo } from "./membership.ts";
import type { ConversationStore } from "./store.ts";

/**
 * Messages `userId` may read, ascending: after `afterSeq` (up to `beforeSeq` when both are
 * given), the `count` just before `beforeSeq`, or the newest `count`.
 */
export function readHistory(
  store: ConversationStore,
  userId: string,
  query: HistoryQuery,
): ChatLog[] {
  const upTo = readableUpTo(store, userId);
  if (query.afterSeq !== undefined) {
    const end = query.beforeSeq === undefined ? upTo : Math.min(upTo, query.beforeSeq - 1);
    return store.messagesAfter(query.afterSeq, end, query.count);
  }
  if (query.beforeSeq !== undefined) {
    return store.messagesBefore(query.beforeSeq, upTo, query.count);
  }
  return store.messagesBefore(upTo + 1, upTo, query.count);
}

/** Current members other than message `seq`'s sender, split by whether they have read it. */
export function readRecordsOf(store: ConversationStore, userId: string, seq: number): ReadRecords {
  const upTo = readableUpTo(store, userId);
  const message = seq <= upTo ? store.message(seq) : null;
  if (!message) throw new NotFoundError(`seq: no message ${seq} in this conversation`);
  const records: ReadRecords = { reads: [], unReads: [] };
  for (const member of store.members()) {
    if (member.userId === message.sendId) continue;
    if (store.conversation.chatType === CHAT_TYPE.group && !member.active) continue;
    (member.readSeq >= seq ? records.reads : records.unReads).push(member.userId);
  }
  return records;
}
