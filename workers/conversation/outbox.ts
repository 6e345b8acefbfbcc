/**
 * The outbox: every active member has a delivery watermark, and delivery hands the messages above
 * it, in seq order, to that member's UserSession (`receive`), moving the watermark only after the
 * session took them. A failed delivery stays above the watermark and is retried by the alarm
 * with backoff — late, never lost. One delivery per member runs at a time, so a member's session
 * always receives a conversation's messages in increasing seq. The outbox makes its own calls
 * and owns its retries and the object's alarm.
 *
 * What one message costs (docs/messaging.md "Delivery"): its push frame is encoded once for every
 * member (delivery-batches.ts); each member with a socket gets one call; moved watermarks are
 * saved together (deferred-save.ts); a member whose session said it has no socket is away: it
 * got the first message since it went quiet and is not called again until it asks this
 * conversation something (its session keeps the news and catches up).
 */
import type { DeliveryReceipt } from "../../shared/chat/types.ts";
import { DeferredSave } from "../deferred-save.ts";
import { DeliveryBatches } from "./delivery-batches.ts";
import { DeliverySlots } from "./delivery-slots.ts";
import { type ConversationStore, isBehind } from "./store.ts";

export const RETRY_BASE_MS = 1_000;
export const RETRY_MAX_MS = 60_000;
/** While deliveries keep running, moved watermarks are saved at most this often. */
export const WATERMARK_SAVE_DELAY_MS = 1_000;
/** A safety-net alarm after each send: if the immediate fan-out dies with the object, it resumes. */
const FANOUT_SAFETY_NET_MS = 5_000;

type SessionStub = ReturnType<Env["USER_SESSION"]["getByName"]>;

export class Outbox {
  /** The delivery run per member, and the members whose run must loop once more. */
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  /** Members whose session had no socket at their last delivery (see the file comment). */
  private readonly away = new Set<string>();
  /**
   * How many times each member asked something here: a "no socket" receipt that a newer ask
   * overtook (the member connected and caught up meanwhile) does not make them away.
   */
  private readonly asks = new Map<string, number>();
  /** The alarm's time as this instance set or read it (undefined: not read yet). */
  private alarmAt: number | null | undefined = undefined;
  /** A stub per member (a failed call may break one: then a new one). */
  private readonly sessions = new Map<string, SessionStub>();
  private readonly batches: DeliveryBatches;
  private readonly slots = new DeliverySlots();
  private readonly watermarks: DeferredSave;

  constructor(
    private readonly store: ConversationStore,
    private readonly storage: DurableObjectStorage,
    private readonly env: Env,
  ) {
    this.batches = new DeliveryBatches(store);
    this.watermarks = new DeferredSave(
      () => store.members.saveDeliveries(),
      WATERMARK_SAVE_DELAY_MS,
      `Conversation ${store.conversation.conversationId}`,
    );
  }

  /**
   * Something was stored for every member (a message; with `changed`, a recall or edit, which
   * makes encoded frames stale): arms the safety net, then delivers in the background. With
   * `reachAway` (a recall) members who are away are called too: their session may have pushed
   * the recalled message to a device and sends the push that replaces it (docs/push.md).
   */
  async fanOut({ changed = false, reachAway = false } = {}): Promise<void> {
    if (changed) this.batches.forget();
    if (reachAway) this.away.clear();
    await this.scheduleAlarm(Date.now() + FANOUT_SAFETY_NET_MS);
    this.deliverInBackground(this.store.members.activeMemberIds());
  }

  /** Delivers what `userIds` are missing in the background (members who are away wait). */
  deliverInBackground(userIds: readonly string[]): void {
    this.flush(userIds).catch((error: unknown) => {
      console.error(
        `Conversation ${this.store.conversation.conversationId}: fan-out failed:`,
        error,
      );
    });
  }

  /**
   * `userId` asked this conversation something (a catch-up, a sync, a send, a read): their
   * session knows where it stands again, and what piled up meanwhile goes now.
   */
  memberSeen(userId: string): void {
    this.asks.set(userId, (this.asks.get(userId) ?? 0) + 1);
    if (this.away.delete(userId)) this.deliverInBackground([userId]);
  }

  /** Arms the object's alarm for `at` (unless it fires sooner) for work other than delivery. */
  wakeAt(at: number): Promise<void> {
    return this.scheduleAlarm(at);
  }

  /** True while a delivery run to `userId` is under way. */
  isDelivering(userId: string): boolean {
    return this.inFlight.has(userId);
  }

  /**
   * The alarm: retries every delivery still pending (but to members who are away), saves the
   * watermarks, and re-arms for the earliest retry. The alarm time is the backoff: members not
   * yet due are simply tried a little early.
   */
  async retry(): Promise<void> {
    this.alarmAt = null;
    // A new instance knows nobody as away: each such member gets one call, which tells their
    // session there is news.
    const awaiting = () =>
      this.store.membersAwaitingDelivery().filter((member) => !this.away.has(member.userId));
    await this.flush(awaiting().map((member) => member.userId));
    this.watermarks.now();
    const pending = awaiting();
    if (pending.length === 0) return;
    // Failed deliveries back off; anyone else still behind is being delivered to, and this
    // alarm is only the safety net should the object go away before that ends.
    const retries = pending.filter((member) => member.failures > 0).map((m) => m.retryAt);
    await this.scheduleAlarm(
      retries.length > 0
        ? Math.max(Math.min(...retries), Date.now() + RETRY_BASE_MS)
        : Date.now() + FANOUT_SAFETY_NET_MS,
    );
  }

  /** Delivers whatever `userIds` are missing; resolves when those deliveries have settled. */
  private flush(userIds: readonly string[]): Promise<void> {
    return Promise.all(userIds.map((userId) => this.deliverUntilCaughtUp(userId))).then(() => {});
  }

  /**
   * The one delivery run per member: it delivers until the member has everything, and runs again
   * when a send arrived meanwhile. A second call while one runs joins it.
   */
  private deliverUntilCaughtUp(userId: string): Promise<void> {
    const running = this.inFlight.get(userId);
    if (running) {
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
    for (;;) {
      const member = this.store.members.member(userId);
      const lastSeq = this.store.log.lastSeq();
      if (!member?.active || !isBehind(member, lastSeq, this.store.changes.lastChange())) return;
      if (this.away.has(userId)) return;
      const batch = this.batches.batchFor(member, lastSeq);
      if (batch.count === 0 && batch.lastChange === member.deliveredChange && !batch.announces) {
        // Nothing this batch could move: stop rather than call the session again and again.
        console.error(`Conversation ${this.store.conversation.conversationId}: stuck at ${userId}`);
        return;
      }
      const asksBefore = this.asks.get(userId);
      let receipt: DeliveryReceipt;
      try {
        receipt = await this.slots.run(() => this.sessionOf(userId).receive(batch.json));
      } catch (error) {
        this.sessions.delete(userId);
        const retryAt = Date.now() + backoffMs(member.failures);
        this.store.members.markDeliveryFailed(userId, retryAt);
        await this.scheduleAlarm(retryAt);
        console.warn(
          `Conversation ${this.store.conversation.conversationId}: delivery to ${userId} failed (attempt ${
            member.failures + 1
          }), retrying:`,
          error,
        );
        return;
      }
      // Only a batch that carried the position announces: a rejoin while an older batch was in
      // flight must still be announced by the next one.
      this.store.members.markDelivered(userId, batch.lastSeq, batch.lastChange, batch.announces);
      if (this.watermarks.quiet) this.watermarks.now();
      else this.watermarks.later();
      if (receipt.sockets > 0 || this.asks.get(userId) !== asksBefore) this.away.delete(userId);
      else this.away.add(userId);
    }
  }

  private sessionOf(userId: string): SessionStub {
    let session = this.sessions.get(userId);
    if (!session) {
      session = this.env.USER_SESSION.getByName(userId);
      this.sessions.set(userId, session);
    }
    return session;
  }

  /** Arms the alarm for `at` unless it already fires sooner (its time is known after one read). */
  private async scheduleAlarm(at: number): Promise<void> {
    if (this.alarmAt === undefined) {
      const stored = await this.storage.getAlarm();
      // A call that set the alarm while this one read it knows better.
      if (this.alarmAt === undefined) this.alarmAt = stored;
    }
    if (this.alarmAt !== null && this.alarmAt <= at) return;
    // Known before the write, so a call racing this one does not set a later time over it;
    // forgotten if the write fails.
    this.alarmAt = at;
    try {
      await this.storage.setAlarm(at);
    } catch (error) {
      this.alarmAt = undefined;
      throw error;
    }
  }
}

/** 1 s, 2 s, 4 s … capped at a minute. */
export function backoffMs(failures: number): number {
  return Math.min(RETRY_BASE_MS * 2 ** Math.min(failures, 16), RETRY_MAX_MS);
}
