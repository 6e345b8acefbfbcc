/**
 * The conversation list an app shows, kept current by a session: per conversation its last seq,
 * the user's read seq, unread and mention counts and last message, and the total unread (a
 * badge). `session.ready` resets the counters to the server's (exact at once, CONTRACT §6), so an
 * approximation between two connects never lasts.
 */
import type { components } from "./api-types.ts";
import { Emitter } from "./events.ts";
import type { ChatLog } from "./protocol.ts";
import type { ChatSession } from "./session.ts";

type Conversation = components["schemas"]["Conversation"];

/** One row of the list. */
export interface ConversationSummary {
  conversationId: string;
  seq: number;
  read: number;
  unread: number;
  mentionUnread: number;
  lastMsg: ChatLog | null;
}

export interface ConversationStoreEvents {
  /** A row changed (or appeared). */
  change: ConversationSummary;
  /** The total unread changed. */
  unread: number;
}

export class ConversationStore extends Emitter<ConversationStoreEvents> {
  private readonly rows = new Map<string, ConversationSummary>();
  private userId: string | undefined;
  private total = 0;

  /** Follows `session`'s events; `userId` is learnt from `session.ready` when not given. */
  constructor(session: ChatSession, userId?: string) {
    super();
    this.userId = userId;
    session.on("ready", (ready) => {
      this.userId = ready.userId;
      for (const [id, row] of Object.entries(ready.conversations)) {
        const { seq, read, unread, mentionUnread } = row;
        const lastMsg = row.lastMsg === undefined
          ? this.rows.get(id)?.lastMsg ?? null
          : row.lastMsg;
        this.put({ conversationId: id, seq, read, unread, mentionUnread, lastMsg });
      }
    });
    session.on("message", (message) => this.onMessage(message));
    session.on("sent", ({ conversationId, seq }) => {
      // This socket gets no push of its own send; the ack has no whole message, so `lastMsg`
      // stays until a push or the next session.ready brings it.
      const row = this.rows.get(conversationId) ??
        { conversationId, seq, read: 0, unread: 0, mentionUnread: 0, lastMsg: null };
      if (seq >= row.seq) this.put({ ...row, seq });
      this.onRead(conversationId, seq);
    });
    session.on("read", ({ conversationId, read }) => this.onRead(conversationId, read));
    session.on("recall", (recall) => {
      const row = this.rows.get(recall.conversationId);
      if (row?.lastMsg?.msgId === recall.msgId) {
        const recalled = { status: 1 as const, content: "", mentions: [], media: null };
        this.put({ ...row, lastMsg: { ...row.lastMsg, ...recalled } });
      }
    });
    session.on("edit", ({ changeSeq: _changeSeq, ...edited }) => {
      const row = this.rows.get(edited.conversationId);
      if (row?.lastMsg?.msgId === edited.msgId) this.put({ ...row, lastMsg: edited });
    });
  }

  /** Loads the rows of `GET /v1/im/conversation` (`conversationList`). */
  load(list: Record<string, Conversation>): void {
    for (const c of Object.values(list)) {
      const { conversationId, seq, read, unread, mentionUnread, lastMsg } = c;
      this.put({ conversationId, seq, read, unread, mentionUnread, lastMsg });
    }
  }

  get(conversationId: string): ConversationSummary | undefined {
    return this.rows.get(conversationId);
  }

  /** Every row, the most recently active first. */
  list(): ConversationSummary[] {
    const at = (row: ConversationSummary) => row.lastMsg?.sendTime ?? 0;
    return [...this.rows.values()].sort((a, b) => at(b) - at(a));
  }

  /** Unread messages over every conversation. */
  get totalUnread(): number {
    return this.total;
  }

  private onMessage(message: ChatLog): void {
    const row = this.rows.get(message.conversationId) ?? {
      conversationId: message.conversationId,
      seq: message.seq - 1,
      read: message.seq - 1,
      unread: 0,
      mentionUnread: 0,
      lastMsg: null,
    };
    if (message.seq <= row.seq) return;
    const next = { ...row, seq: message.seq, lastMsg: message };
    if (message.sendId === this.userId) {
      // Sending moves the sender's own read to the message (CONTRACT §7.4).
      Object.assign(next, { read: message.seq, unread: 0, mentionUnread: 0 });
    } else if (message.seq > row.read) {
      next.unread += 1;
      const mentioned = message.mentions.includes("all") ||
        (this.userId !== undefined && message.mentions.includes(this.userId));
      if (mentioned) next.mentionUnread += 1;
    }
    this.put(next);
  }

  private onRead(conversationId: string, read: number): void {
    const row = this.rows.get(conversationId);
    if (!row || read <= row.read) return;
    // Read up to the last message: nothing is unread. Short of it, the count below is unknown
    // (it depends on who sent what) and stays until the next session.ready corrects it.
    const caughtUp = read >= row.seq;
    this.put({
      ...row,
      read,
      unread: caughtUp ? 0 : row.unread,
      mentionUnread: caughtUp ? 0 : row.mentionUnread,
    });
  }

  private put(row: ConversationSummary): void {
    const before = this.rows.get(row.conversationId);
    this.rows.set(row.conversationId, row);
    this.emit("change", row);
    const total = this.total - (before?.unread ?? 0) + row.unread;
    if (total !== this.total) {
      this.total = total;
      this.emit("unread", total);
    }
  }
}
