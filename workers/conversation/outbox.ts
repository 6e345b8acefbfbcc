/**
 * The outbox: every active member has a delivery watermark (`delivered_seq`) in storage, and
 * delivery pushes the messages above it, in seq order, to that member's UserSession, moving the
 * watermark only after the session took them. A failed push stays above the watermark and is
 * retried by the alarm with backoff — late, never lost. One delivery per member runs at a time,
 * so a member's session always receives a conversation's messages in increasing seq.
 */
import type { ChatLog } from "../../shared/chat/schemas.ts";
import type { DeliveryBatch } from "../../shared/chat/types.ts";
import type { ConversationStore } from "./store.ts";

/** Messages per delivery call. */
export const DELIVERY_BATCH_SIZE = 100;
/** Deliveries in flight at once from one conversation (a 500-member group fans out in waves). */
export const DELIVERY_CONCURRENCY = 50;
export const RETRY_BASE_MS = 1_000;
export const RETRY_MAX_MS = 60_000;

/** How a conversation reaches a member's session (the UserSession `receive` RPC). */
export type DeliverToSession = (userId: string, batch: DeliveryBatch) => Promise<unknown>;

export class Outbox {
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly store: ConversationStore,
    private readonly deliver: DeliverToSession,
    private readonly scheduleRetry: (at: number) => Promise<void>,
  ) {}

  /** Delivers whatever `userIds` are missing; resolves when those deliveries have settled. */
  flush(userIds: readonly string[]): Promise<void> {
    return Promise.all(userIds.map((userId) => this.deliverUntilCaughtUp(userId))).then(() => {});
  }

  /**
   * The one delivery run per member: it delivers until the member has everything, and runs again
   * when a send arrived meanwhile. A second call while one runs joins it.
   */
  private deliverUntilCaughtUp(userId: string): Promise<void> {
    const running = this.inFlight.get(userId);
    if (running) {
      // A delivery to this member is under way: it will loop once more and pick up the rest.
      this.again.add(userId);
      return running;
    }
    const run = (async () => {
      do {
        this.again.delete(userId);
        await this.deliverPending(userId);
      } while (this.again.has(userId));
    })().finally(() => this.inFlight.delete(userId));
    this.inFlight.set(userId, run);
    return run;
  }

  /** Delivers the messages above the member's watermark, batch by batch, until none is left. */
  private async deliverPending(userId: string): Promise<void> {
    const { conversation } = this.store;
    for (;;) {
      const member = this.store.member(userId);
      if (!member?.active) return;
      const lastSeq = this.store.lastSeq();
      if (member.deliveredSeq >= lastSeq && member.announced) return;
      const messages = this.store.messagesAfter(member.deliveredSeq, lastSeq, DELIVERY_BATCH_SIZE);
      const batch: DeliveryBatch = {
        conversation,
        position: member.announced ? null : {
          seq: member.deliveredSeq,
          read: member.readSeq,
          lastMsg: this.store.message(member.deliveredSeq),
        },
        read: member.readSeq,
        messages,
      };
      try {
        await this.withSlot(() => this.deliver(userId, batch));
      } catch (error) {
        const retryAt = Date.now() + backoffMs(member.failures);
        this.store.markDeliveryFailed(userId, retryAt);
        await this.scheduleRetry(retryAt);
        console.warn(
          `Conversation ${conversation.conversationId}: delivery to ${userId} failed (attempt ${
            member.failures + 1
          }), retrying:`,
          error,
        );
        return;
      }
      // Only a batch that carried the position announces: a rejoin while an older batch was in
      // flight must still be announced by the next one.
      this.store.markDelivered(
        userId,
        lastSeqOf(messages, member.deliveredSeq),
        batch.position !== null,
      );
    }
  }

  private async withSlot<T>(work: () => Promise<T>): Promise<T> {
    while (this.running >= DELIVERY_CONCURRENCY) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    this.running += 1;
    try {
      return await work();
    } finally {
      this.running -= 1;
      this.waiting.shift()?.();
    }
  }
}

function lastSeqOf(messages: ChatLog[], fallback: number): number {
  return messages.at(-1)?.seq ?? fallback;
}

/** 1 s, 2 s, 4 s … capped at a minute. */
export function backoffMs(failures: number): number {
  return Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.min(failures, 16));
}
