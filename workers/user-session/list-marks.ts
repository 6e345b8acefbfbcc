/**
 * The marks of the list's `unsaved` table: the conversations whose stored row may be behind its
 * conversation, and why —
 * - changed in memory and not saved yet (the mark is written before the first unsaved change;
 *   the first save that finds the row unchanged clears it);
 * - away: a delivery found no socket, so the conversation calls no more until asked (the first
 *   message after the user went quiet is its one call per absence);
 * - left by the previous instance, which went away with one of the above.
 * The away and left-behind ones are asked where the user stands (`behind()`); their mark stays
 * until the answer covers every delivery away since (`caughtUp`).
 */
import type { ListStorage } from "./list-storage.ts";

/** A conversation to ask, and the count of deliveries away its answer covers. */
export interface BehindConversation {
  conversationId: string;
  asOf: number;
}

export class ListMarks {
  /** Conversations whose id is in `unsaved`. */
  private readonly marked = new Set<string>();
  /** Conversations changed in memory and not written yet. */
  private readonly changed = new Set<string>();
  /**
   * Conversations to ask where the user stands → the delivery away that made them so (0: left
   * by the previous instance, covered by any answer).
   */
  private readonly behindSince = new Map<string, number>();
  private deliveriesAway = 0;

  constructor(private readonly storage: ListStorage) {
    for (const id of storage.readMarks()) {
      this.marked.add(id);
      this.behindSince.set(id, 0);
    }
  }

  /** The conversations to ask, each with the deliveries away the answer will cover. */
  behind(): BehindConversation[] {
    return [...this.behindSince.keys()].map((conversationId) => ({
      conversationId,
      asOf: this.deliveriesAway,
    }));
  }

  isMarked(conversationId: string): boolean {
    return this.marked.has(conversationId);
  }

  /** Anything to write or to unmark: false when a save would write nothing. */
  get pending(): boolean {
    return this.changed.size > 0 || [...this.marked].some((id) => this.isQuiet(id));
  }

  /** A delivery found no socket: marked before the delivery returns. */
  markAway(conversationId: string): void {
    this.behindSince.set(conversationId, ++this.deliveriesAway);
    this.mark(conversationId);
  }

  /** The row changed in memory only: marked before the change is acknowledged. */
  markChanged(conversationId: string): void {
    this.changed.add(conversationId);
    this.mark(conversationId);
  }

  /** The row was written (or left the list): nothing of it waits for the next save. */
  saved(conversationId: string): void {
    this.changed.delete(conversationId);
  }

  /**
   * The conversation answered where the user stands, as of `asOf` deliveries away: it is no
   * longer behind unless one went away since, and its mark goes when nothing else keeps it.
   */
  caughtUp(conversationId: string, asOf: number): void {
    if ((this.behindSince.get(conversationId) ?? 0) <= asOf) {
      this.behindSince.delete(conversationId);
    }
    if (this.marked.has(conversationId) && this.isQuiet(conversationId)) {
      this.storage.deleteMark(conversationId);
      this.marked.delete(conversationId);
    }
  }

  /**
   * What the next save does: the rows to write, and the marks to clear (neither changed nor
   * behind). A conversation that changed keeps its mark for the next wait: it is likely to
   * change again, and the mark need not be written again.
   */
  toSave(): { changed: string[]; quiet: string[] } {
    const quiet = [...this.marked].filter((id) => this.isQuiet(id));
    return { changed: [...this.changed], quiet };
  }

  /** The save of `toSave()` committed. */
  committed({ changed, quiet }: { changed: string[]; quiet: string[] }): void {
    for (const id of changed) this.changed.delete(id);
    for (const id of quiet) this.marked.delete(id);
  }

  /** True while marks remain that a later save clears (not the ones waiting for an answer). */
  get waitingForSave(): boolean {
    return [...this.marked].some((id) => !this.behindSince.has(id));
  }

  /** Writes the conversation's id to `unsaved`, once. */
  private mark(conversationId: string): void {
    if (this.marked.has(conversationId)) return;
    this.storage.addMark(conversationId);
    this.marked.add(conversationId);
  }

  private isQuiet(conversationId: string): boolean {
    return !this.changed.has(conversationId) && !this.behindSince.has(conversationId);
  }
}
