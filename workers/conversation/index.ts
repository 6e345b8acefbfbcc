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
import type { ChatLog, ReadRecords, SendAck } from "../../shared/chat/schemas.ts";
import type { ConversationPosition, HistoryQuery, SendRequest } from "../../shared/chat/types.ts";
import { createDb } from "../../shared/db/client.ts";
import { ForbiddenError } from "../../shared/errors.ts";
import { newId } from "../../shared/ids.ts";
import { pushFrame } from "../../shared/protocol/index.ts";
import { outcomeOf, type RpcOutcome } from "../../shared/rpc-outcome.ts";
import {
  applyMembership,
  assertCanSend,
  MEMBERSHIP_REFRESH_MS,
  META,
  readableUpTo,
  readMembership,
} from "./membership.ts";
import { Outbox, RETRY_BASE_MS } from "./outbox.ts";
import { readHistory, readRecordsOf } from "./reads.ts";
import { ConversationStore } from "./store.ts";

/** A safety-net alarm after each send: if the immediate fan-out dies with the object, it resumes. */
const FANOUT_SAFETY_NET_MS = 5_000;

export class Conversation extends DurableObject<Env> {
  /** This object's conversation: its name, parsed (set for getByName ids, alarms included). */
  readonly conversation: ParsedConversationId;
  private readonly store: ConversationStore;
  private readonly outbox: Outbox;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    if (ctx.id.name === undefined) throw new Error("address a Conversation by getByName(id)");
    this.conversation = parseConversationId(ctx.id.name);
    this.store = new ConversationStore(ctx.storage.sql, this.conversation);
    this.outbox = new Outbox(
      this.store,
      (userId, batch) => env.USER_SESSION.getByName(userId).receive(batch),
      (at) => this.scheduleAlarm(at),
    );
  }

  /** Stores a message (or returns the original ack for a resend) and starts its fan-out. */
  send(request: SendRequest): Promise<RpcOutcome<SendAck>> {
    return outcomeOf(async () => {
      await this.open(request.senderId);
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
      };
      const seq = this.ctx.storage.transactionSync(() => {
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

  /**
   * Messages `userId` may read, ascending: after `afterSeq` (up to `beforeSeq` when both are
   * given), the `count` just before `beforeSeq`, or the newest `count`.
   */
  history(userId: string, query: HistoryQuery): Promise<RpcOutcome<ChatLog[]>> {
    return outcomeOf(async () => {
      await this.open(userId);
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
      await this.open(userId);
      assertCanSend(this.store, userId);
      const member = this.store.member(userId);
      const seq = member?.deliveredSeq ?? 0;
      return { seq, read: member?.readSeq ?? 0, lastMsg: this.store.message(seq) };
    });
  }

  /**
   * Moves `userId`'s read position to `seq` (clamped to what they may read; never back) and, in
   * a single chat, tells the other side with a `markChat` push.
   */
  markRead(userId: string, seq: number): Promise<RpcOutcome<number>> {
    return outcomeOf(async () => {
      await this.open(userId);
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
      await this.open(userId);
      assertCanSend(this.store, userId);
      return this.store.activeMemberIds().filter((memberId) => memberId !== userId);
    });
  }

  /** Current members other than message `seq`'s sender, split by whether they have read it. */
  readRecords(userId: string, seq: number): Promise<RpcOutcome<ReadRecords>> {
    return outcomeOf(async () => {
      await this.open(userId);
      return readRecordsOf(this.store, userId, seq);
    });
  }

  // Membership events (shared/social/events.ts): applied before they return, so the next send
  // or push already follows them.

  async friendshipChanged(friends: boolean): Promise<void> {
    await this.open();
    this.bumpMembershipVersion();
    this.store.setMeta(META.friends, friends ? "1" : "0");
  }

  async memberJoined(userId: string): Promise<void> {
    await this.open();
    this.bumpMembershipVersion();
    this.store.setMeta(META.groupExists, "1");
    this.store.activateMember(userId, this.store.lastSeq());
    // The joiner's session learns about the conversation now, not at the next message.
    this.startFanOut([userId]);
  }

  async memberLeft(userId: string): Promise<void> {
    await this.open();
    this.bumpMembershipVersion();
    this.store.deactivateMember(userId, this.store.lastSeq());
  }

  async dissolved(): Promise<void> {
    await this.open();
    this.bumpMembershipVersion();
    const seq = this.store.lastSeq();
    for (const userId of this.store.activeMemberIds()) this.store.deactivateMember(userId, seq);
    this.store.setMeta(META.groupExists, "0");
  }

  /**
   * Retries every pending delivery, then re-arms for the earliest retry still pending. The alarm
   * time is the backoff: members not yet due are simply tried a little early.
   */
  override async alarm(): Promise<void> {
    const pendingNow = this.store.membersAwaitingDelivery(this.store.lastSeq());
    await this.outbox.flush(pendingNow.map((member) => member.userId));
    const pending = this.store.membersAwaitingDelivery(this.store.lastSeq());
    if (pending.length > 0) {
      const next = Math.min(...pending.map((member) => member.retryAt));
      await this.scheduleAlarm(Math.max(next, Date.now() + RETRY_BASE_MS));
    }
  }

  /**
   * Keeps the membership cache fresh. With `callerId`, a caller who cannot be part of a single
   * chat is refused before the object stores anything.
   */
  private async open(callerId?: string): Promise<void> {
    const { conversation } = this;
    if (
      callerId !== undefined && conversation.chatType === CHAT_TYPE.single &&
      !conversation.userIds.includes(callerId)
    ) {
      throw new ForbiddenError("not your conversation");
    }
    const loadedAt = Number(this.store.getMeta(META.loadedAt) ?? 0);
    if (Date.now() - loadedAt > MEMBERSHIP_REFRESH_MS) await this.refreshMembership();
  }

  private async refreshMembership(): Promise<void> {
    const version = this.store.getMeta(META.version);
    const membership = await readMembership(createDb(this.env), this.conversation);
    // An event that landed while D1 was being read is newer than what was read.
    if (this.store.getMeta(META.version) !== version) return;
    applyMembership(this.store, membership, Date.now());
    const unannounced = this.store.membersAwaitingDelivery(this.store.lastSeq());
    if (unannounced.length > 0) this.startFanOut(unannounced.map((member) => member.userId));
  }

  private bumpMembershipVersion(): void {
    const version = Number(this.store.getMeta(META.version) ?? 0);
    this.store.setMeta(META.version, String(version + 1));
  }

  /** Delivers in the background; the alarm set before the ack is the durable fallback. */
  private startFanOut(userIds: readonly string[]): void {
    this.outbox.flush(userIds).catch((error: unknown) => {
      console.error(`Conversation ${this.conversation.conversationId}: fan-out failed:`, error);
    });
  }

  private async scheduleAlarm(at: number): Promise<void> {
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > at) await this.ctx.storage.setAlarm(at);
  }
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
