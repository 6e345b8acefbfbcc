/**
 * Live read counts (CONTRACT §13): in a group, a member's read moves the count of every earlier
 * message, and each sender whose messages among the conversation's newest READ_COUNT_WINDOW
 * gained readers is pushed `read.count {conversationId, counts: {[seq]: readers}}` for all of
 * their messages in that window. Reads are gathered for READ_COUNT_INTERVAL_MS, so a sender gets
 * at most one push per conversation per interval however many members read.
 *
 * The counts come from the read positions the object holds in memory (members.ts): nothing is
 * stored for them. The push is best effort — a timer that dies with the object loses one — and
 * `readRecords` stays the way to list who read a message.
 */
import { CHAT_TYPE } from "../../shared/chat/conversation-id.ts";
import { MESSAGE_STATUS } from "../../shared/chat/schemas.ts";
import { READ_COUNT_INTERVAL_MS, READ_COUNT_WINDOW } from "../../shared/limits.ts";
import { pushFrame } from "../../shared/protocol/index.ts";
import type { ConversationStore } from "./store.ts";

export class ReadCounts {
  /** The seqs whose counts moved since the last push: (from, to]. */
  private movedFrom = Number.POSITIVE_INFINITY;
  private movedTo = 0;
  private lastPushAt = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly store: ConversationStore, private readonly env: Env) {}

  /** A member's read moved from `from` to `to`: the counts of (from, to] grew. */
  moved(from: number, to: number, now = Date.now()): void {
    if (this.store.conversation.chatType !== CHAT_TYPE.group || to <= from) return;
    this.movedFrom = Math.min(this.movedFrom, from);
    this.movedTo = Math.max(this.movedTo, to);
    if (this.timer !== null) return;
    const wait = Math.max(0, this.lastPushAt + READ_COUNT_INTERVAL_MS - now);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.push().catch((error: unknown) => {
        console.warn(`read.count of ${this.store.conversation.conversationId} failed:`, error);
      });
    }, wait);
  }

  private async push(): Promise<void> {
    const { store } = this;
    this.lastPushAt = Date.now();
    const from = this.movedFrom;
    const to = this.movedTo;
    this.movedFrom = Number.POSITIVE_INFINITY;
    this.movedTo = 0;
    const windowStart = Math.max(1, store.log.lastSeq() - READ_COUNT_WINDOW + 1);
    const recent = store.sql.exec<{ seq: number; send_id: string }>(
      "SELECT seq, send_id FROM messages WHERE seq >= ? AND status = ? ORDER BY seq",
      windowStart,
      MESSAGE_STATUS.normal,
    ).toArray();
    const senders = new Set(
      recent.filter((m) => m.seq > from && m.seq <= to).map((m) => m.send_id),
    );
    if (senders.size === 0) return;
    const members = store.members.all().filter((member) => member.active);
    const reads = members.map((member) => member.readSeq).sort((a, b) => a - b);
    const readers = (seq: number, senderId: string) => {
      const atLeast = reads.length - lowerBound(reads, seq);
      const own = members.some((m) => m.userId === senderId && m.readSeq >= seq) ? 1 : 0;
      return atLeast - own;
    };
    const { conversationId } = store.conversation;
    await Promise.allSettled([...senders].map((senderId) => {
      const counts: Record<string, number> = {};
      for (const message of recent) {
        if (message.send_id === senderId) counts[message.seq] = readers(message.seq, senderId);
      }
      const frame = pushFrame("read.count", { conversationId, counts });
      return this.env.USER_SESSION.getByName(senderId).push(frame);
    }));
  }
}

/** The index of the first element of sorted `values` at or above `target`. */
function lowerBound(values: number[], target: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (values[mid]! < target) low = mid + 1;
    else high = mid;
  }
  return low;
}
