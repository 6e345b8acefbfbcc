/**
 * What a delivery does to one row of the user's conversation list beyond the counters: which
 * changes are new, the unread mentions kept, the last message after a change, and the order the
 * new messages and changes are pushed in.
 */
import { type ChatLog, MENTION_ALL, MESSAGE_STATUS } from "../../shared/chat/schemas.ts";
import { previewOf } from "../../shared/chat/preview.ts";
import type { DeliveredChange, DeliveredMessage } from "../../shared/chat/types.ts";
import { MENTION_UNREAD_KEPT } from "../../shared/limits.ts";

/** A push for the user's sockets, in the order a conversation's events happened. */
export type PushItem =
  | { kind: "message"; seq: number; frame: string }
  | { kind: "change"; changeSeq: number; frame: string };

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
