/**
 * The outbox: every active member has a delivery watermark, and delivery hands the messages above
 * it, in seq order, to that member's UserSession, moving the watermark only after the session
 * took them. A failed delivery stays above the watermark and is retried by the alarm with
 * backoff — late, never lost. One delivery per member runs at a time, so a member's session
 * always receives a conversation's messages in increasing seq.
 *
 * What one message costs (docs/messaging.md "Delivery"): its push frame is encoded once for every
 * member; each member with a socket gets one call; moved watermarks are saved together, in one
 * statement at most every WATERMARK_SAVE_INTERVAL_MS (and by the alarm); a member whose session
 * said it has no socket is called at most once per OFFLINE_DELIVERY_INTERVAL_MS, with everything
 * that piled up meanwhile, until the member shows up here again (any request of theirs to this
 * conversation) or a call finds a socket; every DELIVERY_CONCURRENCY deliveries the outbox yields
 * to the runtime's I/O.
 */
import {
  type DeliveryBatchJson,
  toDelivered,
  toDeliveredChange,
} from "../../shared/chat/delivery.ts";
import type { ChatLog } from "../../shared/chat/schemas.ts";
import type { DeliveredMessage, DeliveryBatch, DeliveryReceipt } from "../../shared/chat/types.ts";
import { MENTION_UNREAD_KEPT } from "../../shared/limits.ts";
import { type ConversationStore, isBehind, type MemberRow, type StoredChange } from "./store.ts";

/** Messages per delivery call. */
export const DELIVERY_BATCH_SIZE = 100;
/**
 * Deliveries in flight at once from one conversation. Few enough that a send arriving during a
 * big fan-out waits behind a handful of queued deliveries, not hundreds (the runtime runs every
 * object's work on one thread, first come first served); enough to keep that thread busy.
 */
export const DELIVERY_CONCURRENCY = 8;
export const RETRY_BASE_MS = 1_000;
export const RETRY_MAX_MS = 60_000;
/**
 * How often a member whose session has no socket is called. The member's conversation list
 * (unread, last message) is up to date within this long (CONTRACT §7.1: within a second).
 */
export const OFFLINE_DELIVERY_INTERVAL_MS = 500;
/** Seq ranges whose batch part is kept (members spread over a few watermarks at most). */
const SHARED_PARTS_KEPT = 32;
/** While deliveries keep running, moved watermarks are saved at most this often. */
export const WATERMARK_SAVE_INTERVAL_MS = 1_000;

/** How a conversation reaches a member's session (the UserSession `receive` RPC). */
export type DeliverToSession = (
  userId: string,
  batch: DeliveryBatchJson,
) => Promise<DeliveryReceipt>;

/** A batch made for one member, with what the outbox needs to know about it. */
interface MemberBatch {
  json: DeliveryBatchJson;
  /** How many messages, and the seq of the last (the watermark after it arrives). */
  count: number;
  lastSeq: number;
  /** The last change it carries (the change watermark after it arrives). */
  lastChange: number;
  announces: boolean;
}

/** What the outbox has done since the object started: the cost of a message, counted. */
export interface OutboxCounters {
  /** `receive` calls made (each one object call). */
  calls: number;
  /** Messages handed to sessions (a message to 99 members is 99). */
  messages: number;
  /** Watermark transactions. */
  saves: number;
}

export class Outbox {
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  private running = 0;
  private sinceYield = 0;
  private readonly waiting: Array<() => void> = [];
  /** Members whose session had no socket at their last delivery → when to call them next. */
  private readonly offline = new Map<string, number>();
  private offlineTimer: ReturnType<typeof setTimeout> | null = null;
  private offlineTimerAt = 0;
  private lastSaveAt = 0;
  /** The messages part of recent batches, by seq range (members at one watermark share it). */
  private readonly sharedParts = new Map<string, string>();
  /** Push frames (and the message's JSON, for a batch's `lastMsg`) by seq, shared by every batch. */
  private readonly encoded = new Map<number, { delivered: DeliveredMessage; json: string }>();
  readonly counters: OutboxCounters = { calls: 0, messages: 0, saves: 0 };

  constructor(
    private readonly store: ConversationStore,
    private readonly deliver: DeliverToSession,
    private readonly scheduleRetry: (at: number) => Promise<void>,
  ) {}

  /**
   * Delivers whatever `userIds` are missing; resolves when those deliveries have settled.
   * Members known to be offline wait for their next turn.
   */
  flush(userIds: readonly string[]): Promise<void> {
    return Promise.all(userIds.map((userId) => this.deliverUntilCaughtUp(userId))).then(() => {});
  }

  /**
   * `userId` asked this conversation something: their client is likely online again, and what
   * waited for their next turn goes now.
   */
  memberSeen(userId: string): void {
    if (!this.offline.delete(userId)) return;
    this.flush([userId]).catch((error: unknown) => {
      console.error(
        `Conversation ${this.store.conversation.conversationId}: delivery to ${userId} failed:`,
        error,
      );
    });
  }

  /**
   * Saves moved watermarks if the last save is WATERMARK_SAVE_INTERVAL_MS old. What is left
   * unsaved when deliveries stop is saved by the alarm (set with every send), or redelivered —
   * and dropped by the sessions — if the object goes away first.
   */
  private saveIfDue(): void {
    if (Date.now() - this.lastSaveAt >= WATERMARK_SAVE_INTERVAL_MS) this.saveNow();
  }

  /**
   * A stored message changed (recall, edit, a quote's preview): the frames and batch parts made
   * from it are stale.
   */
  forgetEncoded(): void {
    this.encoded.clear();
    this.sharedParts.clear();
  }

  /** Saves moved watermarks now. */
  saveNow(): void {
    this.lastSaveAt = Date.now();
    this.counters.saves += this.store.saveDeliveries() ? 1 : 0;
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
    })().finally(() => {
      this.inFlight.delete(userId);
      if (this.inFlight.size === 0) this.saveIfDue();
    });
    this.inFlight.set(userId, run);
    return run;
  }

  /** Delivers the messages above the member's watermark, batch by batch, until none is left. */
  private async deliverPending(userId: string): Promise<void> {
    for (;;) {
      const member = this.store.member(userId);
      if (!member?.active) return;
      const lastSeq = this.store.lastSeq();
      if (!isBehind(member, lastSeq, this.store.lastChange())) return;
      const offlineUntil = this.restingUntil(userId);
      if (offlineUntil) return this.wakeOfflineAt(offlineUntil);
      const batch = this.batchFor(member, lastSeq);
      if (batch.count === 0 && batch.lastChange === member.deliveredChange && !batch.announces) {
        // Nothing this batch could move: stop rather than call the session again and again.
        console.error(
          `Conversation ${this.store.conversation.conversationId}: nothing to deliver to ${userId}`,
        );
        return;
      }
      let receipt: DeliveryReceipt;
      try {
        receipt = await this.withSlot(() => this.deliver(userId, batch.json));
      } catch (error) {
        const retryAt = Date.now() + backoffMs(member.failures);
        this.store.markDeliveryFailed(userId, retryAt);
        await this.scheduleRetry(retryAt);
        console.warn(
          `Conversation ${this.store.conversation.conversationId}: delivery to ${userId} failed (attempt ${
            member.failures + 1
          }), retrying:`,
          error,
        );
        return;
      }
      this.counters.calls += 1;
      this.counters.messages += batch.count;
      // Only a batch that carried the position announces: a rejoin while an older batch was in
      // flight must still be announced by the next one.
      this.store.markDelivered(userId, batch.lastSeq, batch.lastChange, batch.announces);
      this.saveIfDue();
      if (receipt.sockets > 0) this.offline.delete(userId);
      else this.offline.set(userId, Date.now() + OFFLINE_DELIVERY_INTERVAL_MS);
    }
  }

  /**
   * The member's batch as JSON: its own part (position, read) written per member, the messages,
   * last message and changes shared by every member at the same watermarks. A change goes with
   * the batch that carries the message it was made after.
   */
  private batchFor(member: MemberRow, lastSeq: number): MemberBatch {
    const messages = this.store.messagesAfter(member.deliveredSeq, lastSeq, DELIVERY_BATCH_SIZE);
    const batchLastSeq = messages.at(-1)?.seq ?? member.deliveredSeq;
    const changes = this.store.changesAfter(member.deliveredChange, DELIVERY_BATCH_SIZE, {
      atMost: batchLastSeq,
    });
    const own: Omit<DeliveryBatch, "messages" | "lastMsg" | "changes"> = {
      conversation: this.store.conversation,
      position: member.announced ? null : positionOf(this.store, member),
      read: member.readSeq,
    };
    return {
      json: `${JSON.stringify(own).slice(0, -1)},${this.sharedPart(messages, changes)}}`,
      count: messages.length,
      lastSeq: batchLastSeq,
      lastChange: changes.at(-1)?.changeSeq ?? member.deliveredChange,
      announces: own.position !== null,
    };
  }

  /**
   * `"messages":[…],"lastMsg":…,"changes":[…]` for these messages and changes, made once for
   * every member.
   */
  private sharedPart(messages: ChatLog[], changes: StoredChange[]): string {
    const key = `${messages[0]?.seq ?? 0}-${messages.at(-1)?.seq ?? 0}:${
      changes[0]?.changeSeq ?? 0
    }-${changes.at(-1)?.changeSeq ?? 0}`;
    let part = this.sharedParts.get(key);
    if (part === undefined) {
      const last = messages.at(-1);
      const delivered = messages.map((message) => this.encode(message).delivered);
      const lastMsg = last ? this.encode(last).json : null;
      part = `"messages":${JSON.stringify(delivered)},"lastMsg":${JSON.stringify(lastMsg)}`;
      if (changes.length > 0) {
        part += `,"changes":${JSON.stringify(changes.map(toDeliveredChange))}`;
      }
      if (this.sharedParts.size >= SHARED_PARTS_KEPT) this.sharedParts.clear();
      this.sharedParts.set(key, part);
    }
    return part;
  }

  private encode(message: ChatLog): { delivered: DeliveredMessage; json: string } {
    let encoded = this.encoded.get(message.seq);
    if (!encoded) {
      encoded = { delivered: toDelivered(message), json: JSON.stringify(message) };
      this.encoded.set(message.seq, encoded);
      // Keep the frames of the newest DELIVERY_BATCH_SIZE messages: the ones members still need.
      const oldest = message.seq - DELIVERY_BATCH_SIZE;
      for (const seq of this.encoded.keys()) if (seq <= oldest) this.encoded.delete(seq);
    }
    return encoded;
  }

  /** When an offline member is due next, or 0 when they may be called now. */
  private restingUntil(userId: string): number {
    const until = this.offline.get(userId) ?? 0;
    return until > Date.now() ? until : 0;
  }

  /** One timer for every offline member: it delivers to those that are due. */
  private wakeOfflineAt(at: number): void {
    if (this.offlineTimer !== null) {
      if (this.offlineTimerAt <= at) return;
      clearTimeout(this.offlineTimer);
    }
    this.offlineTimerAt = at;
    this.offlineTimer = setTimeout(() => {
      this.offlineTimer = null;
      const due = [...this.offline.keys()].filter((userId) => !this.restingUntil(userId));
      const later = [...this.offline.values()].filter((until) => until > Date.now());
      this.flush(due).catch((error: unknown) => {
        console.error(
          `Conversation ${this.store.conversation.conversationId}: offline delivery failed:`,
          error,
        );
      });
      if (later.length > 0) this.wakeOfflineAt(Math.min(...later));
    }, Math.max(0, at - Date.now()));
  }

  private async withSlot<T>(work: () => Promise<T>): Promise<T> {
    while (this.running >= DELIVERY_CONCURRENCY) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    this.running += 1;
    // A big fan-out keeps the runtime's event loop busy with one delivery after another, and the
    // runtime reads the network only when that loop runs dry: every DELIVERY_CONCURRENCY
    // deliveries, a zero timer lets it, so other frames (a send, its ack) are not held back
    // until the whole fan-out is over.
    if (++this.sinceYield >= DELIVERY_CONCURRENCY) {
      this.sinceYield = 0;
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    try {
      return await work();
    } finally {
      this.running -= 1;
      this.waiting.shift()?.();
    }
  }
}

/**
 * Where a member stands as far as this conversation knows: its delivery watermarks, its read
 * seq, the message at its watermark and the unread messages mentioning it.
 */
export function positionOf(store: ConversationStore, member: MemberRow) {
  return {
    seq: member.deliveredSeq,
    read: member.readSeq,
    lastMsg: store.message(member.deliveredSeq),
    changeSeq: member.deliveredChange,
    mentionSeqs: store.mentionSeqs(
      member.userId,
      member.readSeq,
      member.deliveredSeq,
      MENTION_UNREAD_KEPT,
    ),
  };
}

/** 1 s, 2 s, 4 s … capped at a minute. */
export function backoffMs(failures: number): number {
  return Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.min(failures, 16));
}
