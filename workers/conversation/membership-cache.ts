/**
 * The Conversation's membership cache, kept fresh from D1 (docs/messaging.md "Membership"), and
 * the admission of every caller: refused before anything is stored unless entitled (CONTRACT
 * §9). D1 reads are applied in the order they started (a counter in memory: reads in flight die
 * with the object), so a slow, older read never undoes a newer one.
 */
import { CHAT_TYPE } from "../../shared/chat/conversation-id.ts";
import { createDb } from "../../shared/db/client.ts";
import { ForbiddenError } from "../../shared/errors.ts";
import {
  applyMembership,
  type Membership,
  MEMBERSHIP_REFRESH_MS,
  META,
  readMembership,
  refuseStranger,
  SETTLE_WINDOW_MS,
} from "./membership.ts";
import type { Outbox } from "./outbox.ts";
import type { ConversationStore } from "./store.ts";

/** A membership read from D1, with when it started. */
type MembershipRead = { ticket: number; startedAt: number; membership: Membership };

export class MembershipCache {
  private readsStarted = 0;
  private latestReadApplied = 0;

  constructor(
    private readonly store: ConversationStore,
    private readonly outbox: Outbox,
    private readonly env: Env,
  ) {}

  /**
   * Lets `callerId` in, or refuses them before anything is stored. A conversation that never
   * stored anything is judged from D1 (see refuseStranger): a sender it admits creates the
   * storage; a reader is answered from nothing (false: there is no history yet).
   */
  async admit(callerId: string, need: "read" | "send"): Promise<boolean> {
    const { conversation } = this.store;
    if (conversation.chatType === CHAT_TYPE.single && !conversation.userIds.includes(callerId)) {
      throw new ForbiddenError("not your conversation");
    }
    if (!this.store.exists()) {
      const read = await this.readFromDb();
      await refuseStranger(createDb(this.env), conversation, read.membership, callerId, need);
      if (need === "read" && !this.store.exists()) return false;
      this.store.create();
      this.apply(read);
    }
    await this.refreshIfStale();
    return true;
  }

  /**
   * Re-reads membership from D1 while a change is unsettled (announced, its event not yet
   * arrived) and every MEMBERSHIP_REFRESH_MS as a safety net.
   */
  async refreshIfStale(): Promise<void> {
    if (!this.store.exists()) return;
    const loadedAt = Number(this.store.meta.get(META.loadedAt) ?? 0);
    if (Date.now() - loadedAt > MEMBERSHIP_REFRESH_MS || this.store.meta.hasPendingChanges()) {
      await this.refresh();
    }
  }

  async refresh(): Promise<void> {
    this.apply(await this.readFromDb());
  }

  private async readFromDb(): Promise<MembershipRead> {
    const ticket = ++this.readsStarted;
    const startedAt = Date.now();
    const membership = await readMembership(createDb(this.env), this.store.conversation);
    return { ticket, startedAt, membership };
  }

  /**
   * Writes a D1 read into the cache, unless a read that started later was applied already, and
   * settles the changes it surely includes; members it makes new are announced.
   */
  private apply({ ticket, startedAt, membership }: MembershipRead): void {
    if (ticket < this.latestReadApplied) return;
    this.latestReadApplied = ticket;
    applyMembership(this.store, membership, Date.now());
    this.store.meta.settleChangesPreparedBefore(startedAt - SETTLE_WINDOW_MS);
    const unannounced = this.store.membersAwaitingDelivery();
    if (unannounced.length > 0) {
      this.outbox.deliverInBackground(unannounced.map((member) => member.userId));
    }
  }
}
