/**
 * Conversation Durable Object: one per conversation id (CONTRACT §8), addressed by name
 * (`getByName(conversationId)`), which is how it knows which conversation it is — callers pass
 * who is asking, never which conversation. It orders and stores the conversation's messages
 * (seq 1, 2, 3 … in its SQLite storage), answers idempotent resends, keeps read positions and a
 * membership cache, and fans messages out to members' UserSession objects through the outbox.
 *
 * Every question a user asks comes through `ask` (asks.ts says how each is answered); the rest
 * are the social service's membership events, group notices and the alarm.
 */
import { DurableObject } from "cloudflare:workers";
import type {
  AskAnswer,
  AskArgs,
  ConversationAskName,
} from "../../shared/chat/conversation-asks.ts";
import { parseConversationId } from "../../shared/chat/conversation-id.ts";
import { chunk } from "../../shared/db/chunks.ts";
import { SEARCH_BACKFILL_STEP } from "../../shared/limits.ts";
import { pushFrame } from "../../shared/protocol/index.ts";
import { outcomeOf, type RpcOutcome } from "../../shared/rpc-outcome.ts";
import type { GroupNotice } from "../../shared/social/events.ts";
import { ASKS, type ConversationParts } from "./asks.ts";
import type { MediaFile } from "../../shared/media/schemas.ts";
import { signedMedia, sweepMedia } from "./media.ts";
import { MembershipCache } from "./membership-cache.ts";
import { Outbox } from "./outbox.ts";
import { ReadCounts } from "./read-counts.ts";
import { ConversationStore } from "./store.ts";

/** Members' sessions told about a new group notice at once. */
const NOTICE_CONCURRENCY = 50;

export class Conversation extends DurableObject<Env> {
  private readonly parts: ConversationParts;
  private readonly membership: MembershipCache;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    if (ctx.id.name === undefined) throw new Error("address a Conversation by getByName(id)");
    const store = new ConversationStore(ctx.storage, parseConversationId(ctx.id.name));
    const outbox = new Outbox(store, ctx.storage, env);
    this.parts = { store, outbox, env, readCounts: new ReadCounts(store, env) };
    this.membership = new MembershipCache(store, outbox, env);
    // A conversation stored before the search index backfills it, a step per alarm.
    if (store.search.backfillPending()) {
      ctx.blockConcurrencyWhile(() => outbox.wakeAt(Date.now()));
    }
  }

  /**
   * `userId` asks something of this conversation: admitted (or refused before anything is
   * stored), then answered; a refusal comes back as a failed outcome.
   */
  ask<A extends ConversationAskName>(
    userId: string,
    name: A,
    args: AskArgs<A>,
  ): Promise<RpcOutcome<AskAnswer<A>>> {
    return outcomeOf(async () => {
      const handler = ASKS[name];
      if (!await this.membership.admit(userId, handler.need)) {
        // Only asks that read get here: there is nothing stored to read.
        return handler.unstored!(args);
      }
      if (handler.deliversPending !== false) this.parts.outbox.memberSeen(userId);
      return await handler.answer(this.parts, userId, args);
    });
  }

  /**
   * Pushes `group.notice` to every current member's open sockets. Best effort: the notice is in
   * the group's row for anyone who misses it.
   */
  async announceNotice(notice: GroupNotice): Promise<void> {
    const { store } = this.parts;
    if (!store.exists()) return;
    await this.membership.refreshIfStale();
    const frame = pushFrame("group.notice", notice);
    for (const memberIds of chunk(store.members.activeMemberIds(), NOTICE_CONCURRENCY)) {
      const results = await Promise.allSettled(
        memberIds.map((userId) => this.env.USER_SESSION.getByName(userId).push(frame)),
      );
      const failed = results.filter((result) => result.status === "rejected").length;
      if (failed > 0) console.warn(`group.notice of ${notice.groupId}: ${failed} pushes failed`);
    }
  }

  // Membership changes (shared/social/events.ts, workers/conversation/membership-events.ts):
  // announced before their D1 write, delivered after it. See docs/messaging.md "Membership".

  /**
   * A change of this conversation's membership is about to be written to D1: until it is
   * settled, every request re-reads membership from D1 first. Durable before it returns, so if
   * the change's event is lost, the cache is still never trusted past the change.
   */
  prepareMembershipChange(eventId: string): void {
    this.parts.store.create();
    this.parts.store.meta.addPendingChange(eventId, Date.now());
  }

  /**
   * The change announced as `eventId` is in D1: re-read membership (the read starts after the
   * write committed, so it includes it) and settle the change. A repeat of an event already
   * settled does nothing; an object that never stored anything has no cache to correct.
   */
  async membershipChanged(eventId: string): Promise<void> {
    const { store } = this.parts;
    if (!store.exists() || !store.meta.hasPendingChange(eventId)) return;
    await this.membership.refresh();
    store.meta.settleChange(eventId);
  }

  /**
   * The media a signed URL names, to serve without a token (the signature was checked), or null
   * once it is recalled or deleted.
   */
  signedMedia(mediaId: string): MediaFile | null {
    return signedMedia(this.parts.store, mediaId);
  }

  /**
   * Retries pending deliveries (deliveries follow membership, so an unsettled change first),
   * indexes the next step of an older conversation's messages for search, then deletes the
   * media that are due.
   */
  override async alarm(): Promise<void> {
    await this.membership.refreshIfStale();
    await this.parts.outbox.retry();
    const { store, outbox } = this.parts;
    if (store.search.backfillPending()) {
      const more = store.transaction(() => store.search.backfillStep(SEARCH_BACKFILL_STEP));
      if (more) await outbox.wakeAt(Date.now());
    }
    await sweepMedia(store, outbox, this.env);
  }
}
