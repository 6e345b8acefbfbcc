/**
 * The read side of a Conversation: history pages and read records, as functions of the store,
 * so the object's class keeps to routing RPCs and the write path.
 */
import { CHAT_TYPE } from "../../shared/chat/conversation-id.ts";
import type { ChatLog, ReadRecords } from "../../shared/chat/schemas.ts";
import type { CatchUp, CatchUpQuery, HistoryQuery } from "../../shared/chat/types.ts";
import { ForbiddenError, NotFoundError } from "../../shared/errors.ts";
import { readableUpTo } from "./membership.ts";
import type { ConversationStore, StoredChange } from "./store.ts";

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
    return store.log.messagesAfter(query.afterSeq, end, query.count, userId);
  }
  if (query.beforeSeq !== undefined) {
    return store.log.messagesBefore(query.beforeSeq, upTo, query.count, userId);
  }
  return store.log.messagesBefore(upTo + 1, upTo, query.count, userId);
}

/**
 * What `userId` missed since `afterSeq` (and `afterChange`, when asked): messages they have not
 * hidden, and the recalls and edits of messages they may read. A part that is not full reached
 * the end: it says so by answering the end (the readable end, the last change).
 */
export function catchUpOf(store: ConversationStore, userId: string, query: CatchUpQuery): CatchUp {
  const upTo = readableUpTo(store, userId);
  const messages = store.log.messagesAfter(query.afterSeq, upTo, query.count, userId);
  const seq = messages.length < query.count ? Math.max(query.afterSeq, upTo) : messages.at(-1)!.seq;
  if (query.afterChange === undefined) return { messages, seq, changes: [] };
  return { messages, seq, ...changesOf(store, userId, query.afterChange, query.changeCount) };
}

/**
 * The recalls and edits after `afterChange` of messages `userId` may read, in change order, at
 * most `count`, and where they stop (the last change, when not full). Messages the user deleted
 * for themselves are included: the user's list follows every change (its last message may be
 * one of them), and a client ignores changes of messages it does not show.
 */
export function changesOf(
  store: ConversationStore,
  userId: string,
  afterChange: number,
  count: number,
): { changes: StoredChange[]; changeSeq: number } {
  const upToSeq = readableUpTo(store, userId);
  const changes = store.changes.changesAfter(afterChange, count, { upToSeq });
  const changeSeq = changes.length < count
    ? Math.max(afterChange, store.changes.lastChange())
    : changes.at(-1)!.changeSeq;
  return { changes, changeSeq };
}

/**
 * Current members other than message `seq`'s sender, split by whether they have read it. Only
 * for current members: who is in a group now is not a former member's business.
 */
export function readRecordsOf(store: ConversationStore, userId: string, seq: number): ReadRecords {
  const isGroup = store.conversation.chatType === CHAT_TYPE.group;
  if (isGroup && !store.members.member(userId)?.active) {
    throw new ForbiddenError("only current members see who has read a message");
  }
  const upTo = readableUpTo(store, userId);
  const message = seq <= upTo ? store.log.message(seq) : null;
  if (!message) throw new NotFoundError(`seq: no message ${seq} in this conversation`);
  const records: ReadRecords = { reads: [], unReads: [] };
  for (const member of store.members.all()) {
    if (member.userId === message.sendId) continue;
    if (store.conversation.chatType === CHAT_TYPE.group && !member.active) continue;
    (member.readSeq >= seq ? records.reads : records.unReads).push(member.userId);
  }
  return records;
}
