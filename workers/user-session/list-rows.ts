/**
 * What a delivery or a conversation's answer does to one row of the user's conversation list:
 * the counters, which messages and changes are new, the unread mentions kept, the last message
 * after a change, and the order the new messages and changes are pushed in. Pure functions over
 * a row in memory; the list (conversation-list.ts) decides when a row is written.
 */
import type { ChatType } from "../../shared/chat/conversation-id.ts";
import {
  type ChatLog,
  type ConversationSummary,
  MENTION_ALL,
  MESSAGE_STATUS,
} from "../../shared/chat/schemas.ts";
import { previewOf } from "../../shared/chat/preview.ts";
import type {
  ConversationPosition,
  DeliveredChange,
  DeliveredMessage,
  DeliveryBatch,
} from "../../shared/chat/types.ts";
import { MENTION_UNREAD_KEPT } from "../../shared/limits.ts";
import type { ConversationRecord } from "./list-storage.ts";

/** The user's own settings of a conversation (`PUT /v1/im/conversation`); absent: unchanged. */
export interface ConversationSettings {
  isShow?: boolean;
  muted?: boolean;
  pinned?: boolean;
}

/** A row as the away pushes read it (workers/push/away-pushes.ts). */
export interface PushView {
  muted: boolean;
  seq: number;
  read: number;
  /** Unread messages mentioning the user or all. */
  mentionSeqs: number[];
  /** The last message, as JSON. */
  lastMsg: string | null;
}

/** A push for the user's sockets, in the order a conversation's events happened. */
export type PushItem =
  | { kind: "message"; seq: number; frame: string }
  | { kind: "change"; changeSeq: number; frame: string };

/**
 * Records a batch's messages and changes in `row` (already in the list) and returns the new
 * ones as pushes, in the order they happened. Messages at or below the row's seq, and changes at
 * or below its change seq, were seen before and are dropped, so a retried delivery is never
 * pushed twice.
 */
export function recordBatch(
  row: ConversationRecord,
  batch: DeliveryBatch,
  userId: string,
  now: number,
): PushItem[] {
  if (batch.position) mergePosition(row, batch.position);
  // A read marked while this session had not heard of the conversation yet is not lost.
  row.read_seq = Math.max(row.read_seq, batch.read);
  // Seqs ascend, so the new messages are the batch's tail and the last of them is `lastMsg`.
  const messages = batch.messages.filter((message) => message.seq > row.seq);
  // Most deliveries mention nobody and recall nothing: the kept mentions are read only when
  // something touches them.
  let mentions: Set<number> | null = null;
  const mentionSet = () => (mentions ??= new Set(parseSeqs(row.mention_seqs)));
  for (const message of messages) {
    row.seq = message.seq;
    if (message.sendId === userId) row.read_seq = Math.max(row.read_seq, message.seq);
    else if (mentionsUser(message.mentions, userId)) mentionSet().add(message.seq);
  }
  if (messages.length > 0) {
    row.last_msg = batch.lastMsg;
    // A hidden conversation comes back when something new arrives.
    row.is_show = 1;
    row.updated_at = now;
  }
  const changes = newChanges(batch.changes ?? [], row.seq, row.change_seq);
  for (const change of changes) {
    row.change_seq = change.changeSeq;
    if (change.recalled) mentionSet().delete(change.seq);
    row.last_msg = lastMsgAfter(row.last_msg, change);
  }
  if (mentions !== null || row.mention_seqs !== null) {
    row.mention_seqs = keptMentions(mentionSet(), row.read_seq);
  }
  return inOrder(messages, changes);
}

/** Merges where the user stands in a conversation, as its object says, into its row. */
export function mergePosition(row: ConversationRecord, position: ConversationPosition): void {
  const lastMsg = parseLastMsg(row.last_msg);
  row.seq = Math.max(row.seq, position.seq);
  row.read_seq = Math.max(row.read_seq, position.read);
  // The conversation's copy is as new as any: it has every change up to position.changeSeq.
  if (position.lastMsg && (!lastMsg || position.lastMsg.seq >= lastMsg.seq)) {
    row.last_msg = JSON.stringify(position.lastMsg);
  }
  row.change_seq = Math.max(row.change_seq, position.changeSeq);
  // Up to position.seq the conversation knows best (a recall may have taken a mention away);
  // only what this row has beyond it is kept from here.
  const mentions = [
    ...parseSeqs(row.mention_seqs).filter((seq) => seq > position.seq),
    ...position.mentionSeqs,
  ];
  row.mention_seqs = keptMentions(mentions, row.read_seq);
}

/** The summary a client sees of a row. */
export function toSummary(row: ConversationRecord): ConversationSummary {
  return {
    conversationId: row.conversation_id,
    chatType: row.chat_type as ChatType,
    targetId: row.target_id,
    isShow: row.is_show === 1,
    muted: row.muted === 1,
    pinned: row.pinned === 1,
    seq: row.seq,
    read: row.read_seq,
    total: row.seq,
    unread: Math.max(0, row.seq - row.read_seq),
    mentionUnread: parseSeqs(row.mention_seqs).filter((seq) => seq > row.read_seq).length,
    changeSeq: row.change_seq,
    lastMsg: parseLastMsg(row.last_msg),
  };
}

/**
 * The stored last message; one stored before replies, mentions, recall and edit existed gets
 * their defaults, so every answer has the whole ChatLog.
 */
function parseLastMsg(text: string | null): ChatLog | null {
  if (!text) return null;
  return {
    status: 0,
    editTime: 0,
    replyTo: null,
    mentions: [],
    media: null,
    ...JSON.parse(text),
  } as ChatLog;
}

/**
 * The changes of a batch this row has not seen, in change order, up to the first one about a
 * message the row does not have yet (a sync may answer a change ahead of the delivery of its
 * message): that one and those after it come again with the delivery, after the message.
 */
export function newChanges(
  changes: DeliveredChange[],
  rowSeq: number,
  rowChangeSeq: number,
): DeliveredChange[] {
  const fresh: DeliveredChange[] = [];
  for (const change of changes) {
    if (change.changeSeq <= rowChangeSeq) continue;
    if (change.seq > rowSeq) break;
    fresh.push(change);
  }
  return fresh;
}

export function parseSeqs(text: string | null): number[] {
  return text ? JSON.parse(text) as number[] : [];
}

/** The unread mention seqs worth keeping: above `read`, the newest MENTION_UNREAD_KEPT. */
export function keptMentions(seqs: Iterable<number>, read: number): string | null {
  const kept = [...new Set(seqs)].filter((seq) => seq > read).sort((a, b) => b - a)
    .slice(0, MENTION_UNREAD_KEPT);
  return kept.length > 0 ? JSON.stringify(kept) : null;
}

export function mentionsUser(mentions: string[] | undefined, userId: string): boolean {
  return mentions !== undefined && (mentions.includes(userId) || mentions.includes(MENTION_ALL));
}

/**
 * The list's last message after a change: the changed message itself if it is the last one,
 * or the last one with its quote of the changed message brought up to date.
 */
export function lastMsgAfter(lastMsgJson: string | null, change: DeliveredChange): string | null {
  if (!lastMsgJson) return lastMsgJson;
  const lastMsg = JSON.parse(lastMsgJson) as ChatLog;
  if (lastMsg.seq === change.seq) return change.message;
  const changed = JSON.parse(change.message) as ChatLog;
  if (lastMsg.replyTo?.msgId !== changed.msgId) return lastMsgJson;
  const preview = changed.status === MESSAGE_STATUS.recalled ? "" : previewOf(changed.content);
  return JSON.stringify({ ...lastMsg, replyTo: { ...lastMsg.replyTo, preview } });
}

/** New messages and changes as pushes, each change after the message it was made after. */
export function inOrder(messages: DeliveredMessage[], changes: DeliveredChange[]): PushItem[] {
  const items: PushItem[] = [];
  let next = 0;
  const change = (c: DeliveredChange): PushItem => ({
    kind: "change",
    changeSeq: c.changeSeq,
    frame: c.frame,
  });
  for (const message of messages) {
    while (next < changes.length && changes[next]!.at < message.seq) {
      items.push(change(changes[next++]!));
    }
    items.push({ kind: "message", seq: message.seq, frame: message.frame });
  }
  while (next < changes.length) items.push(change(changes[next++]!));
  return items;
}
