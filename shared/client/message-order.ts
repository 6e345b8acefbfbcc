/**
 * Exactly once, in seq order, per conversation: a cursor (the last seq handed to the app) and
 * the messages that arrived ahead of a gap, held back until the gap is filled.
 */
import type { ChatLog } from "./protocol.ts";

/** What became of one received message. */
export interface Accepted {
  /** Messages the app gets now, in seq order (this one and any it released). */
  deliver: ChatLog[];
  /** True when messages before this one are missing: the caller fetches them (sync). */
  gap: boolean;
}

export class MessageOrder {
  private readonly cursors = new Map<string, number>();
  private readonly heldBack = new Map<string, Map<number, ChatLog>>();

  /** The last seq delivered in `conversationId`, or undefined if it is not followed yet. */
  cursor(conversationId: string): number | undefined {
    return this.cursors.get(conversationId);
  }

  /** Every followed conversation with its cursor. */
  cursorsList(): [string, number][] {
    return [...this.cursors];
  }

  /**
   * Starts following a conversation after `seq` (the app has everything up to it, or wants
   * nothing older). Never moves a cursor back; releases held-back messages it makes deliverable.
   */
  follow(conversationId: string, seq: number): ChatLog[] {
    const current = this.cursors.get(conversationId);
    if (current !== undefined && current >= seq) return [];
    this.cursors.set(conversationId, seq);
    const held = this.heldBack.get(conversationId);
    for (const heldSeq of held?.keys() ?? []) {
      if (heldSeq <= seq) held?.delete(heldSeq);
    }
    return this.release(conversationId);
  }

  /**
   * Takes a received message. A conversation not followed yet starts at this message; one
   * already delivered is dropped; one after a gap is held back.
   */
  accept(message: ChatLog): Accepted {
    const id = message.conversationId;
    const cursor = this.cursors.get(id) ?? message.seq - 1;
    this.cursors.set(id, cursor);
    if (message.seq <= cursor) return { deliver: [], gap: false };
    if (message.seq > cursor + 1) {
      let held = this.heldBack.get(id);
      if (!held) this.heldBack.set(id, held = new Map());
      held.set(message.seq, message);
      return { deliver: [], gap: true };
    }
    this.cursors.set(id, message.seq);
    return { deliver: [message, ...this.release(id)], gap: false };
  }

  /** True while `conversationId` holds messages back behind a gap. */
  hasGap(conversationId: string): boolean {
    return (this.heldBack.get(conversationId)?.size ?? 0) > 0;
  }

  private release(conversationId: string): ChatLog[] {
    const held = this.heldBack.get(conversationId);
    const released: ChatLog[] = [];
    let cursor = this.cursors.get(conversationId) ?? 0;
    for (let next = held?.get(cursor + 1); next; next = held?.get(cursor + 1)) {
      held?.delete(next.seq);
      released.push(next);
      cursor = next.seq;
    }
    this.cursors.set(conversationId, cursor);
    if (held?.size === 0) this.heldBack.delete(conversationId);
    return released;
  }
}
