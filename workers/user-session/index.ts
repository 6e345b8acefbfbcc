/**
 * UserSession Durable Object: one per user, addressed by name (`getByName(userId)`), which is
 * how it knows whose it is. It holds that user's hibernating WebSockets (CONTRACT §6, §8):
 * heartbeats are answered by the runtime without waking it; idle and expired sockets are closed
 * from the alarm; per-socket state lives in attachments, so nothing here depends on memory
 * surviving hibernation.
 *
 * It owns the session's state: the user's conversation list (conversation-list.ts) and its
 * catch-up, the user's limits, the pushes to the sockets and each socket's frame queue. A frame
 * reads straight down: `webSocketMessage` admits it (socket-frames.ts), queues it behind the
 * socket's earlier frames (serial-queues.ts), and its method answers it (frame-methods.ts),
 * mostly with one typed ask of a Conversation. A Conversation's delivery comes in at `receive`.
 *
 * RPC for other objects and the Worker: `receive(batch)`, `push(frame)` (social pushes too, §14),
 * `socketCount()`, the conversation list (`listConversations`, `openConversation`,
 * `markConversationRead`, `setConversationSettings`), Web Push (workers/push/), the user's limits
 * (`takeLimits`, `giveBackLimit`, `sendMessage` — the HTTP send, after the message limit) and
 * token state (`tokenVersion`, `isTokenRevoked`, `leaseReads`, `revokeToken`, `revokeAllTokens`).
 */
import { DurableObject } from "cloudflare:workers";
import type { ParsedConversationId } from "../../shared/chat/conversation-id.ts";
import type { ConversationSummary, OutgoingMessage, SendAck } from "../../shared/chat/schemas.ts";
import { type DeliveryBatchJson, parseDeliveryBatch } from "../../shared/chat/delivery.ts";
import type { ConversationPosition, DeliveryReceipt } from "../../shared/chat/types.ts";
import { MAX_QUEUED_FRAMES, type RateRule } from "../../shared/limits.ts";
import {
  CLOSE_CODE,
  closeBackCode,
  HEARTBEAT,
  type PushFrame,
  type RequestFrame,
} from "../../shared/protocol/index.ts";
import type { RateTake } from "../../shared/rate-limit.ts";
import { outcomeOf, type RpcOutcome } from "../../shared/rpc-outcome.ts";
import { closeDueSockets, idleTimeoutMs, rearmAlarm } from "./alarm.ts";
import { ListCatchUp } from "./list-catch-up.ts";
import { acceptSocket, admitUpgrade } from "./connect.ts";
import { ConversationList } from "./conversation-list.ts";
import { answerFrame, markRead, sendMessage, type SessionParts } from "./frame-methods.ts";
import { type ReadLease, ReadLeases, type ReturnedReads } from "./read-leases.ts";
import { receiveDelivery } from "./receive-batch.ts";
import { SerialQueues } from "./serial-queues.ts";
import { admitFrame, refuseQueueFull } from "./socket-frames.ts";
import { PresencePushes } from "./presence-pushes.ts";
import { SocketPushes } from "./socket-pushes.ts";
import {
  closeRevokedSockets,
  closeSocket,
  openSockets,
  pushToOpenSockets,
  readAttachment,
  sendFrame,
} from "./sockets.ts";
import { TokenState } from "./token-state.ts";
import { AwayPushes } from "../push/away-pushes.ts";
import type { PushSubscriptionBody, PushSubscriptionRow } from "../../shared/push/schemas.ts";
import type { ConversationSettings } from "./list-rows.ts";
import { UserLimits } from "./user-limits.ts";

export class UserSession extends DurableObject<Env> {
  /** The user this session belongs to: its name (set for getByName ids, alarms included). */
  readonly userId: string;
  /** What the frame methods work with: the list, the limits, the pushes (frame-methods.ts). */
  private readonly parts: SessionParts;
  /** Per-socket order of frame handling (frames in flight only; see serial-queues.ts). */
  private readonly queues = new SerialQueues(MAX_QUEUED_FRAMES);
  private readonly catchUp: ListCatchUp;
  private readonly tokens: TokenState;
  private readonly presence = new PresencePushes(this.ctx, this.env);
  private readonly reads: ReadLeases;
  private readonly away: AwayPushes;
  /**
   * Connections being set up: a delivery meanwhile counts them as sockets, so the conversation
   * keeps delivering to the socket about to open rather than leave the user away.
   */
  private connecting = 0;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    if (ctx.id.name === undefined) throw new Error("address a UserSession by getByName(userId)");
    this.userId = ctx.id.name;
    const userId = this.userId;
    const list = new ConversationList(ctx.storage, userId);
    const limits = new UserLimits(ctx.storage.sql);
    this.parts = { env, userId, list, limits, pushes: new SocketPushes(ctx) };
    this.catchUp = new ListCatchUp(env, userId, list);
    this.tokens = new TokenState(ctx.storage.sql);
    this.reads = new ReadLeases(ctx.storage, this.tokens);
    this.away = new AwayPushes(ctx, env, userId, list, {
      catchUp: () => this.catchUp.run(),
      sockets: () => openSockets(ctx).length + this.connecting,
    });
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(HEARTBEAT, HEARTBEAT));
  }

  /**
   * The WebSocket upgrade, forwarded by `GET /v1/im/ws` with the token it verified: a slot of
   * the user's upgrade budget, then the list catches up with the conversations it is behind, so
   * `session.ready` is exact.
   */
  override async fetch(request: Request): Promise<Response> {
    this.connecting += 1;
    try {
      const verified = await admitUpgrade(this.env, request, this.userId, this.parts.limits);
      if (verified instanceof Response) return verified;
      await this.catchUp.run();
      const { list } = this.parts;
      const answer = await acceptSocket(this.ctx, this.env, request, verified, list, this.tokens);
      return this.presence.afterUpgrade(answer);
    } finally {
      this.connecting -= 1;
    }
  }

  /**
   * One frame from a socket: admitted at once (so a flood is refused before it takes any
   * memory), then answered after the socket's earlier frames, exactly once.
   */
  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    try {
      const request = admitFrame(ws, message);
      if (!request) return;
      const queue = readAttachment(ws)?.socketId ?? "";
      const answered = this.queues.run(queue, () => this.answer(ws, request));
      if (answered === false) refuseQueueFull(ws, request);
      else await answered;
    } catch (error) {
      this.logFailure("webSocketMessage", error);
    }
  }

  /** Sends a queued frame's answer; never throws (serial-queues.ts). */
  private async answer(ws: WebSocket, request: RequestFrame): Promise<void> {
    // A socket closed while this frame waited (revoked with 4003, replaced, flooding): its
    // waiting frames are not carried out.
    if (ws.readyState !== WebSocket.OPEN) return;
    try {
      sendFrame(ws, await answerFrame(this.parts, request, ws));
    } catch (error) {
      this.logFailure("webSocketMessage", error);
    }
  }

  /**
   * A Conversation's delivery: new messages are recorded in the list and pushed to every open
   * socket in seq order; already-received ones are dropped. Says how many were new and how many
   * sockets the user has (none: the conversation calls no more until the user asks it, and the
   * list marks it as away).
   */
  receive(batch: DeliveryBatchJson): DeliveryReceipt {
    return receiveDelivery(this.parts, parseDeliveryBatch(batch), this.connecting, this.away);
  }

  /** Takes one slot of this user's limits under every rule, or none (user-limits.ts). */
  takeLimits(rules: RateRule[]): RateTake {
    return this.parts.limits.take(rules);
  }

  giveBackLimit(slot: string): void {
    this.parts.limits.giveBack(slot);
  }

  /** `POST /v1/im/chat`: the user's message limit first, then the send. */
  sendMessage(outgoing: OutgoingMessage, clientMsgId: string): Promise<RpcOutcome<SendAck>> {
    return outcomeOf(() => sendMessage(this.parts, outgoing, clientMsgId));
  }

  /** The version this user's new tokens are signed with. */
  tokenVersion(): number {
    return this.tokens.version();
  }

  /** True when the token with this id and version has been revoked. */
  isTokenRevoked(jti: string, version: number): boolean {
    return this.tokens.isRevoked(jti, version);
  }

  /** The token's revocation answer with a lease of the user's reads (read-leases.ts). */
  leaseReads(
    jti: string,
    version: number,
    returned?: ReturnedReads,
    wanted?: number,
  ): Promise<ReadLease> {
    return this.reads.lease(jti, version, returned, wanted);
  }

  /** Revokes one token and closes its sockets with 4003 at once. */
  revokeToken(jti: string, expire: number): void {
    this.tokens.revoke(jti, expire);
    closeRevokedSockets(this.ctx, (socket) => socket.jti === jti);
  }

  /** Revokes every token signed so far, closes every socket with 4003; the new version. */
  revokeAllTokens(): number {
    // Logout of every device and a password change: no device keeps getting pushes either.
    this.away.forgetAll();
    const version = this.tokens.revokeAll();
    closeRevokedSockets(this.ctx, (socket) => socket.tokenVersion < version);
    return version;
  }

  /** Open sockets right now: the user is online while there is one. */
  socketCount(): number {
    return openSockets(this.ctx).length;
  }

  /**
   * Sends a push to every open socket of this user and returns how many took it (0 = offline).
   * Callers treat a thrown error as "retry later".
   */
  push(frame: PushFrame): number {
    return pushToOpenSockets(this.ctx, frame);
  }

  /** The user's conversations, most recently active first, caught up with their news. */
  async listConversations(limit: number): Promise<ConversationSummary[]> {
    await this.catchUp.run();
    return this.parts.list.recent(limit);
  }

  /** Puts a conversation in the list (setup/conversation) at the given position. */
  openConversation(
    conversation: ParsedConversationId,
    position: ConversationPosition,
  ): ConversationSummary {
    return this.parts.list.open(conversation, position);
  }

  /** Marks read up to `seq` in the conversation and in the list; the new read seq. */
  markConversationRead(
    conversation: ParsedConversationId,
    seq: number,
  ): Promise<RpcOutcome<number>> {
    return outcomeOf(() => markRead(this.parts, conversation, seq));
  }

  /** Shows, hides, mutes or pins a listed conversation; false when it is not in the list. */
  setConversationSettings(conversationId: string, settings: ConversationSettings): boolean {
    return this.parts.list.setSettings(conversationId, settings);
  }

  /**
   * Stores this device's push subscription (≤ 10, the oldest goes); its id. The conversations that
   * stopped calling this user while away are asked now, so their next message can be pushed.
   */
  async subscribePush(subscription: PushSubscriptionBody): Promise<string> {
    const id = this.away.subscriptions.add(subscription);
    await this.catchUp.run();
    return id;
  }

  /** Removes a device's subscription (it unsubscribed, or its push service said it is gone). */
  removePushSubscription(endpoint: string): boolean {
    return this.away.subscriptions.remove(endpoint);
  }

  listPushSubscriptions(): PushSubscriptionRow[] {
    return this.away.subscriptions.list();
  }

  /** A conversation's push coalescing window ended (the push queue's delayed message). */
  pushWindowEnded(conversationId: string): Promise<void> {
    return this.away.windowEnded(conversationId);
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    // A hibernated socket's close is not answered by the runtime: close back, or the client
    // waits for a close frame that never comes.
    await this.socketGone("webSocketClose", ws, closeBackCode(code), reason);
  }

  override async webSocketError(ws: WebSocket, error: unknown): Promise<void> {
    this.logFailure("webSocketError", error);
    await this.socketGone("webSocketError", ws, CLOSE_CODE.normal, "socket error");
  }

  /** A socket closed or failed: closed from this side too, presence told, the alarm rearmed. */
  private async socketGone(handler: string, ws: WebSocket, code: number, reason: string) {
    try {
      closeSocket(ws, code, reason);
      this.presence.socketClosed();
      await rearmAlarm(this.ctx, idleTimeoutMs(this.env), ws);
    } catch (error) {
      this.logFailure(handler, error);
    }
  }

  override async alarm(): Promise<void> {
    const idleMs = idleTimeoutMs(this.env);
    closeDueSockets(this.ctx, Date.now(), idleMs);
    this.presence.socketClosed();
    await rearmAlarm(this.ctx, idleMs);
  }

  private logFailure(handler: string, error: unknown): void {
    console.error(`UserSession ${this.userId}: ${handler} failed:`, error);
  }
}
