/**
 * Recalls and edits in change-seq order, per conversation: a cursor (every change up to it is
 * applied, so a resync starts after it) and, per message, the change seq of the state the app
 * has, so an older state never replaces a newer one (docs/sdk.md "Recall and edit").
 */
import type { EditedMessage, PinChange, ReactionChange, Recall } from "./protocol.ts";

/** A recall, an edit, a reaction or a pin, as pushed, acked or resynced: all carry `changeSeq`. */
export type MessageChangeData = Recall | EditedMessage | ReactionChange | PinChange;

/**
 * What a change is the state of: a message's content (recall, edit), one user's reaction with
 * one emoji, or the message's pin. Each keeps its own latest change seq: a reaction replayed
 * after an edit of the same message is still news.
 */
function stateKey(change: MessageChangeData): string {
  if ("emoji" in change) return `${change.msgId} ${change.emoji} ${change.userId}`;
  if ("pinned" in change) return `${change.msgId} pin`;
  return change.msgId;
}

/**
 * Messages whose last applied change seq is remembered; the oldest are forgotten beyond this (a
 * forgotten message's next change is simply applied: changes are state, so that is safe).
 */
export const REMEMBERED_CHANGED_MESSAGES = 10_000;

/**
 * Change seqs kept above a conversation's cursor. The server sends a message's latest change
 * only, so a skipped seq may never come; past this many the set is dropped (the cursor stays,
 * and the next resync answers from it).
 */
export const MAX_CHANGES_AHEAD = 1_000;

export class ChangeOrder {
  private readonly cursors = new Map<string, number>();
  /** Change seqs applied above a conversation's cursor (a change before them is missing). */
  private readonly ahead = new Map<string, Set<number>>();
  /** msgId → the change seq of the state last handed to the app. */
  private readonly messages = new Map<string, number>();

  /** Every change in `conversationId` up to this one is applied (undefined: not followed). */
  cursor(conversationId: string): number | undefined {
    return this.cursors.get(conversationId);
  }

  /** Every followed conversation with its change cursor. */
  cursorsList(): [string, number][] {
    return [...this.cursors];
  }

  /**
   * Everything in `conversationId` up to `changeSeq` is applied (the app loaded that state, or
   * a sync ack reached it). Never moves a cursor back.
   */
  follow(conversationId: string, changeSeq: number): void {
    const current = this.cursors.get(conversationId);
    if (current !== undefined && current >= changeSeq) return;
    this.cursors.set(conversationId, changeSeq);
    this.advance(conversationId);
  }

  /**
   * Takes a change; true when the app should apply it (it is newer than the state the app has
   * of that message). The cursor moves only over consecutive change seqs: a lost change stays
   * below it, so the next resync fetches it.
   */
  accept(change: MessageChangeData): boolean {
    const { conversationId, changeSeq } = change;
    const msgId = stateKey(change);
    const cursor = this.cursors.get(conversationId);
    if (cursor === undefined) {
      // First heard of by this change: what came before is the app's to load over HTTP.
      this.cursors.set(conversationId, changeSeq);
    } else if (changeSeq > cursor) {
      let ahead = this.ahead.get(conversationId);
      if (!ahead) this.ahead.set(conversationId, ahead = new Set());
      ahead.add(changeSeq);
      if (ahead.size > MAX_CHANGES_AHEAD) ahead.clear();
      this.advance(conversationId);
    }
    if ((this.messages.get(msgId) ?? -1) >= changeSeq) return false;
    this.messages.delete(msgId);
    this.messages.set(msgId, changeSeq);
    if (this.messages.size > REMEMBERED_CHANGED_MESSAGES) {
      this.messages.delete(this.messages.keys().next().value!);
    }
    return true;
  }

  private advance(conversationId: string): void {
    const ahead = this.ahead.get(conversationId);
    if (!ahead) return;
    let cursor = this.cursors.get(conversationId) ?? 0;
    for (const seq of ahead) if (seq <= cursor) ahead.delete(seq);
    while (ahead.delete(cursor + 1)) cursor += 1;
    this.cursors.set(conversationId, cursor);
    if (ahead.size === 0) this.ahead.delete(conversationId);
  }
}
