/**
 * Conversation Durable Object: one per conversation id (CONTRACT §8), addressed by name
 * (`getByName(conversationId)`), which is how it knows which conversation it is — RPC callers
 * pass who is asking, never which conversation. It orders and stores the conversation's messages
 * (seq 1, 2, 3 … in its SQLite storage), answers idempotent resends, keeps read positions and a
 * membership cache, and fans messages out to members' UserSession objects through the outbox.
 */
import { DurableObject } from "cloudflare:workers";
import {
  CHAT_TYPE,
  parseConversationId,
  type ParsedConversationId,
  targetIdFor,
} from "../../shared/chat/conversation-id.ts";
import { checkMessageContent } from "../../shared/chat/message-content.ts";
import type {
  ChatLog,
  DeleteChatlogBody,
  EditedMessage,
  MessageChanges,
  ReadRecords,
  Recall,
  SendAck,
} from "../../shared/chat/schemas.ts";
import {
  type DeliveryBatchJson,
  editedOf,
  recallOf,
  toMessageChange,
} from "../../shared/chat/delivery.ts";
import type {
  CatchUp,
  CatchUpQuery,
  ConversationPosition,
  DeliveryReceipt,
  HistoryQuery,
  SendRequest,
} from "../../shared/chat/types.ts";
import { chunk } from "../../shared/db/chunks.ts";
import { createDb } from "../../shared/db/client.ts";
import { ForbiddenError, NotFoundError } from "../../shared/errors.ts";
import { newId } from "../../shared/ids.ts";
import { pushFrame } from "../../shared/protocol/index.ts";
import { outcomeOf, type RpcOutcome } from "../../shared/rpc-outcome.ts";
import type { GroupNotice } from "../../shared/social/events.ts";
import {
  applyMembership,
  assertCanSend,
  assertParticipant,
  type Membership,
  MEMBERSHIP_REFRESH_MS,
  META,
  readableUpTo,
  readMembership,
  refuseStranger,
  SETTLE_WINDOW_MS,
} from "./membership.ts";
import {
  type ChangeOutcome,
  editMessage,
  hideMessages,
  recallMessage,
  sendExtras,
} from "./lifecycle.ts";
import { Outbox, type OutboxCounters, positionOf, RETRY_BASE_MS } from "./outbox.ts";
import { catchUpOf, changesOf, readHistory, readRecordsOf } from "./reads.ts";
import { ConversationStore, type StoredChange } from "./store.ts";
import { isolateRowsWritten } from "../storage-meter.ts";

/** Members' sessions told about a new group notice at once. */
const NOTICE_CONCURRENCY = 50;

/** A safety-net alarm after each send: if the immediate fan-out dies with the object, it resumes. */
const FANOUT_SAFETY_NET_MS = 5_000;

export class Conversation extends DurableObject<Env> {
  /** This object's conversation: its name, parsed (set for getByName ids, alarms included). */
  readonly conversation: ParsedConversationId;
  private readonly store: ConversationStore;
  private readonly outbox: Outbox;
  /** D1 membership reads started / the latest-started one applied (memory: reads die with it). */
  private readsStarted = 0;
  private latestReadApplied = 0;
  /** The alarm's time as this instance set or read it (undefined: not read yet). */
  private alarmAt: number | null | undefined = undefined;
  private readonly sessions = new Map<string, ReturnType<Env["USER_SESSION"]["getByName"]>>();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    if (ctx.id.name === undefined) throw new Error("address a Conversation by getByName(id)");
    this.conversation = parseConversationId(ctx.id.name);
    this.store = new ConversationStore(ctx.storage, this.conversation);
    this.outbox = new Outbox(
      this.store,
      (userId, batch) => this.deliverTo(userId, batch),
      (at) => this.scheduleAlarm(at),
    );
  }

  /**
   * What a message costs, counted since this instance started: the outbox's calls, messages and
   * watermark saves, and the rows every object of this isolate wrote (for the bench).
   */
  costCounters(): OutboxCounters & { isolateRowsWritten: number } {
    return { ...this.outbox.counters, isolateRowsWritten: isolateRowsWritten() };
  }

  /** Stores a message (or returns the original ack for a resend) and starts its fan-out. */
  send(request: SendRequest): Promise<RpcOutcome<SendAck>> {
    return outcomeOf(async () => {
      await this.admit(request.senderId, "send");
      // No await between this check and the append: a racing resend cannot slip in between
      // (and the unique index on sender + client id would refuse it anyway).
      const earlier = this.store.findByClientMsgId(request.senderId, request.clientMsgId);
      if (earlier) return ackOf(earlier);
      assertCanSend(this.store, request.senderId);
      checkMessageContent(request);
      const message = {
        msgId: newId(),
        sendId: request.senderId,
        clientMsgId: request.clientMsgId,
        mType: request.mType,
        content: request.content,
        sendTime: Date.now(),
        ...sendExtras(this.store, request.senderId, request),
      };
      const seq = this.store.transaction(() => {
        const seq = this.store.appendMessage(message);
        // Sending a message reads everything before it (CONTRACT §7.4).
        this.store.advanceRead(request.senderId, seq);
        return seq;
      });
      await this.scheduleAlarm(Date.now() + FANOUT_SAFETY_NET_MS);
      this.startFanOut(this.store.activeMemberIds());
      return ackOf({ ...message, conversationId: this.conversation.conversationId, seq });
    });
  }

  /** Recalls a message (see lifecycle.ts for who may) and pushes the recall to every member. */
  recall(userId: string, msgId: string): Promise<RpcOutcome<Recall>> {
    return outcomeOf(async () => {
      if (!await this.admit(userId, "read")) throw noSuchMessage(msgId);
      return recallOf(await this.changed(recallMessage(this.store, userId, msgId)));
    });
  }

  /**
   * Edits a text message (see lifecycle.ts for who may) and pushes it to every member; `key` is
   * the request's id, so a resent edit changes nothing.
   */
  edit(
    userId: string,
    request: { msgId: string; content: string; key?: string | undefined },
  ): Promise<RpcOutcome<EditedMessage>> {
    return outcomeOf(async () => {
      const { msgId, content, key } = request;
      if (!await this.admit(userId, "read")) throw noSuchMessage(msgId);
      return editedOf(await this.changed(editMessage(this.store, userId, msgId, content, key)));
    });
  }

  /** Delete for me: hides messages from `userId`'s own history; what was hidden. */
  hide(
    userId: string,
    body: Omit<DeleteChatlogBody, "conversationId">,
  ): Promise<RpcOutcome<{ msgIds: string[]; upToSeq: number }>> {
    return outcomeOf(async () => {
      if (!await this.admit(userId, "read")) {
        if (body.msgIds?.[0] !== undefined) throw noSuchMessage(body.msgIds[0]);
        return { msgIds: [], upToSeq: 0 };
      }
      return hideMessages(this.store, userId, body);
    });
  }

  /**
   * What a client missed, for `conversation.sync`: the messages `userId` may read after
   * `afterSeq` (not hidden), and with `afterChange`, the recalls and edits after it. Each part
   * says where it stopped: the last one returned, or the end when the page is not full.
   */
  catchUp(userId: string, query: CatchUpQuery): Promise<RpcOutcome<CatchUp>> {
    return outcomeOf(async () => {
      if (!await this.admit(userId, "read")) {
        return { messages: [], seq: query.afterSeq, changes: [], changeSeq: query.afterChange };
      }
      return catchUpOf(this.store, userId, query);
    });
  }

  /** `GET /v1/im/chatlog/changes`: the recalls and edits after `afterChange` `userId` may see. */
  changes(userId: string, afterChange: number, count: number): Promise<RpcOutcome<MessageChanges>> {
    return outcomeOf(async () => {
      if (!await this.admit(userId, "read")) return { list: [], changeSeq: afterChange };
      const { changes, changeSeq } = changesOf(this.store, userId, afterChange, count);
      return { list: changes.map(toMessageChange), changeSeq };
    });
  }

  /**
   * Messages `userId` may read, ascending: after `afterSeq` (up to `beforeSeq` when both are
   * given), the `count` just before `beforeSeq`, or the newest `count`.
   */
  history(userId: string, query: HistoryQuery): Promise<RpcOutcome<ChatLog[]>> {
    return outcomeOf(async () => {
      if (!await this.admit(userId, "read")) return [];
      return readHistory(this.store, userId, query);
    });
  }

  /**
   * Where `userId` stands, for `setup/conversation`: only someone who may chat here. The seq is
   * the member's delivery watermark, not the log's end: messages above it are still on their way
   * to the member's session, and must arrive there as new (pushed, counted).
   */
  position(userId: string): Promise<RpcOutcome<ConversationPosition>> {
    return outcomeOf(async () => {
      await this.admit(userId, "send");
      // Setting a conversation up is not a send: a muted member or a blocked friend may.
      assertParticipant(this.store, userId);
      return this.deliveredPositionOf(userId);
    });
  }

  /**
   * Where `userId`'s session stands here as far as this object knows, for a session repairing
   * its list after it went away with changes unsaved; null when there is nothing to repair.
   */
  deliveredPosition(userId: string): Promise<RpcOutcome<ConversationPosition | null>> {
    return outcomeOf(async () => {
      if (!await this.admit(userId, "read")) return null;
      readableUpTo(this.store, userId);
      return this.store.member(userId) ? this.deliveredPositionOf(userId) : null;
    });
  }

  /**
   * Moves `userId`'s read position to `seq` (clamped to what they may read; never back) and, in
   * a single chat, tells the other side with a `markChat` push.
   */
  markRead(userId: string, seq: number): Promise<RpcOutcome<number>> {
    return outcomeOf(async () => {
      // Nothing stored yet: nothing to read, and a read position of 0 need not be kept.
      if (!await this.admit(userId, "read")) return 0;
      const read = this.store.advanceRead(userId, Math.min(seq, readableUpTo(this.store, userId)));
      if (this.conversation.chatType === CHAT_TYPE.single) {
        const { conversationId } = this.conversation;
        const peer = targetIdFor(this.conversation, userId);
        await this.env.USER_SESSION.getByName(peer)
          .push(pushFrame("markChat", { conversationId, userId, read }))
          .catch((error: unknown) => console.warn(`markChat push to ${peer} failed:`, error));
      }
      return read;
    });
  }

  /** Who should see `userId` typing: the other current members, if `userId` may send here. */
  typingAudience(userId: string): Promise<RpcOutcome<string[]>> {
    return outcomeOf(async () => {
      await this.admit(userId, "send");
      assertCanSend(this.store, userId);
      return this.store.activeMemberIds().filter((memberId) => memberId !== userId);
    });
  }

  /** Current members other than message `seq`'s sender, split by whether they have read it. */
  readRecords(userId: string, seq: number): Promise<RpcOutcome<ReadRecords>> {
    return outcomeOf(async () => {
      if (!await this.admit(userId, "read")) {
        throw new NotFoundError(`seq: no message ${seq} in this conversation`);
      }
      return readRecordsOf(this.store, userId, seq);
    });
  }

  /**
   * Pushes `group.notice` to every current member's open sockets. Best effort: the notice is in
   * the group's row for anyone who misses it.
   */
  async announceNotice(notice: GroupNotice): Promise<void> {
    if (!this.store.exists()) return;
    await this.open();
    const frame = pushFrame("group.notice", notice);
    for (const memberIds of chunk(this.store.activeMemberIds(), NOTICE_CONCURRENCY)) {
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
    this.store.create();
    this.store.addPendingChange(eventId, Date.now());
  }

  /**
   * The change announced as `eventId` is in D1: re-read membership (the read starts after the
   * write committed, so it includes it) and settle the change. A repeat of an event already
   * settled does nothing; an object that never stored anything has no cache to correct.
   */
  async membershipChanged(eventId: string): Promise<void> {
    if (!this.store.exists() || !this.store.hasPendingChange(eventId)) return;
    await this.refreshMembership();
    this.store.settleChange(eventId);
  }

  /**
   * Retries every pending delivery, then re-arms for the earliest retry still pending. The alarm
   * time is the backoff: members not yet due are simply tried a little early.
   */
  override async alarm(): Promise<void> {
    this.alarmAt = null;
    // Deliveries follow membership: an unsettled change is read from D1 before any is retried.
    await this.open();
    const pendingNow = this.store.membersAwaitingDelivery();
    // Members resting without a socket keep their turn (their timer, or a new instance, calls).
    await this.outbox.flush(pendingNow.map((member) => member.userId));
    this.outbox.saveNow();
    const pending = this.store.membersAwaitingDelivery();
    if (pending.length > 0) {
      // Failed deliveries back off; anyone else still behind is resting, and this alarm is only
      // the safety net should the object go away before their turn.
      const retries = pending.filter((member) => member.failures > 0).map((m) => m.retryAt);
      const next = retries.length > 0
        ? Math.max(Math.min(...retries), Date.now() + RETRY_BASE_MS)
        : Date.now() + FANOUT_SAFETY_NET_MS;
      await this.scheduleAlarm(next);
    }
  }

  /**
   * Lets `callerId` in, or refuses them before anything is stored. A conversation that never
   * stored anything is judged from D1 (see refuseStranger): a sender it admits creates the
   * storage; a reader is answered from nothing (false: there is no history yet).
   */
  private async admit(callerId: string, need: "read" | "send"): Promise<boolean> {
    const { conversation } = this;
    if (conversation.chatType === CHAT_TYPE.single && !conversation.userIds.includes(callerId)) {
      throw new ForbiddenError("not your conversation");
    }
    if (!this.store.exists()) {
      const read = await this.readMembershipFromDb();
      await refuseStranger(createDb(this.env), conversation, read.membership, callerId, need);
      if (need === "read" && !this.store.exists()) return false;
      this.store.create();
      this.applyMembershipRead(read);
    }
    await this.open();
    this.outbox.memberSeen(callerId);
    return true;
  }

  /**
   * Keeps the membership cache fresh: re-read from D1 while a change is unsettled (announced,
   * its event not yet arrived) and every MEMBERSHIP_REFRESH_MS as a safety net.
   */
  private async open(): Promise<void> {
    if (!this.store.exists()) return;
    const loadedAt = Number(this.store.getMeta(META.loadedAt) ?? 0);
    if (Date.now() - loadedAt > MEMBERSHIP_REFRESH_MS || this.store.hasPendingChanges()) {
      await this.refreshMembership();
    }
  }

  private async refreshMembership(): Promise<void> {
    this.applyMembershipRead(await this.readMembershipFromDb());
  }

  private async readMembershipFromDb(): Promise<MembershipRead> {
    const ticket = ++this.readsStarted;
    const startedAt = Date.now();
    const membership = await readMembership(createDb(this.env), this.conversation);
    return { ticket, startedAt, membership };
  }

  /**
   * Writes a D1 read into the cache, unless a read that started later was applied already (a
   * stale read never undoes a newer one), and settles the changes it surely includes.
   */
  private applyMembershipRead({ ticket, startedAt, membership }: MembershipRead): void {
    if (ticket < this.latestReadApplied) return;
    this.latestReadApplied = ticket;
    applyMembership(this.store, membership, Date.now());
    this.store.settleChangesPreparedBefore(startedAt - SETTLE_WINDOW_MS);
    const unannounced = this.store.membersAwaitingDelivery();
    if (unannounced.length > 0) this.startFanOut(unannounced.map((member) => member.userId));
  }

  /** After a recall or edit that changed something: its fan-out, as a send's. */
  private async changed({ change, fresh }: ChangeOutcome): Promise<StoredChange> {
    if (fresh) {
      this.outbox.forgetEncoded();
      await this.scheduleAlarm(Date.now() + FANOUT_SAFETY_NET_MS);
      this.startFanOut(this.store.activeMemberIds());
    }
    return change;
  }

  /** Delivers in the background; the alarm set before the ack is the durable fallback. */
  private startFanOut(userIds: readonly string[]): void {
    this.outbox.flush(userIds).catch((error: unknown) => {
      console.error(`Conversation ${this.conversation.conversationId}: fan-out failed:`, error);
    });
  }

  private deliveredPositionOf(userId: string): ConversationPosition {
    const member = this.store.member(userId);
    if (member) return positionOf(this.store, member);
    return { seq: 0, read: 0, lastMsg: null, changeSeq: 0, mentionSeqs: [] };
  }

  /** The delivery call; a stub is kept per member (a failed call may break it: then a new one). */
  private async deliverTo(userId: string, batch: DeliveryBatchJson): Promise<DeliveryReceipt> {
    let session = this.sessions.get(userId);
    if (!session) {
      session = this.env.USER_SESSION.getByName(userId);
      this.sessions.set(userId, session);
    }
    try {
      return await session.receive(batch);
    } catch (error) {
      this.sessions.delete(userId);
      throw error;
    }
  }

  /** Arms the alarm for `at` unless it already fires sooner (its time is known after one read). */
  private async scheduleAlarm(at: number): Promise<void> {
    if (this.alarmAt === undefined) {
      const stored = await this.ctx.storage.getAlarm();
      // A call that set the alarm while this one read it knows better.
      if (this.alarmAt === undefined) this.alarmAt = stored;
    }
    if (this.alarmAt !== null && this.alarmAt <= at) return;
    // Known before the write, so a call racing this one does not set a later time over it;
    // forgotten if the write fails.
    this.alarmAt = at;
    try {
      await this.ctx.storage.setAlarm(at);
    } catch (error) {
      this.alarmAt = undefined;
      throw error;
    }
  }
}

/** A membership read from D1, with when it started (reads are applied in start order). */
type MembershipRead = { ticket: number; startedAt: number; membership: Membership };

function noSuchMessage(msgId: string): NotFoundError {
  return new NotFoundError(`msgId: no message ${msgId} in this conversation`);
}

/** The ack of a stored message: the first send's and every resend's. */
function ackOf(message: Pick<ChatLog, "msgId" | "conversationId" | "seq" | "sendTime">): SendAck {
  return {
    msgId: message.msgId,
    conversationId: message.conversationId,
    seq: message.seq,
    sendTime: message.sendTime,
  };
}
