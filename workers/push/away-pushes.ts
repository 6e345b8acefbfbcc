/**
 * Who gets a Web Push, decided in the user's UserSession (docs/push.md): a delivery that finds
 * no socket (the moment the user is known to be away) pushes the new messages of others at once,
 * unless the conversation pushed less than PUSH_COALESCE_SECONDS ago; a muted conversation only
 * for a mention of the user or `all`. Each push opens a coalescing window whose end (a delayed
 * queue message) catches the conversation up — it calls an away member no more until asked —
 * and pushes once more with how many came meanwhile. A recall of the pushed message sends the
 * push that replaces it. Pushes are only enqueued here; the queue consumer sends them.
 */
import {
  parseConversationId,
  type ParsedConversationId,
} from "../../shared/chat/conversation-id.ts";
import type { ChatLog } from "../../shared/chat/schemas.ts";
import type { DeliveryBatch } from "../../shared/chat/types.ts";
import type { MessagePushPayload, PushPayload } from "../../shared/push/schemas.ts";
import type { ConversationList } from "../user-session/conversation-list.ts";
import { mentionsUser, type PushItem, type PushView } from "../user-session/list-rows.ts";
import { pushPreviewOf } from "./payloads.ts";
import type { PushQueueMessage } from "./queue-messages.ts";
import { type PushWindow, PushWindows } from "./push-windows.ts";
import { PushSubscriptions } from "./subscriptions.ts";

/** A window's end message may arrive this much early (clocks): it is still that window's end. */
const WINDOW_END_SLACK_MS = 1_000;

/** What the pushes need to know of the session beyond the list. */
export interface SessionAwareness {
  /** Asks the conversations the list is behind where the user stands (list-catch-up.ts). */
  catchUp: () => Promise<void>;
  /** Open sockets now, connections being set up included. */
  sockets: () => number;
}

export class AwayPushes {
  readonly subscriptions: PushSubscriptions;
  private readonly windows: PushWindows;

  constructor(
    private readonly ctx: DurableObjectState,
    private readonly env: Env,
    private readonly userId: string,
    private readonly list: ConversationList,
    private readonly session: SessionAwareness,
  ) {
    this.subscriptions = new PushSubscriptions(ctx.storage.sql);
    this.windows = new PushWindows(ctx.storage.sql);
  }

  /** A delivery found no socket; `fresh` is what the list had not seen of it. */
  received(batch: DeliveryBatch, fresh: PushItem[]): void {
    if (this.subscriptions.all().length === 0) return;
    const { conversation } = batch;
    const window = this.windows.get(conversation.conversationId);
    if (window) this.replaceRecalled(batch, fresh, window);
    const seqs = new Set(fresh.flatMap((item) => item.kind === "message" ? [item.seq] : []));
    const news = batch.messages.filter((m) => seqs.has(m.seq) && m.sendId !== this.userId);
    // Within a window its end counts these.
    if (window && window.until > Date.now()) return;
    const view = this.list.pushView(conversation.conversationId);
    if (!view) return;
    const last = news.at(-1);
    if (!last) {
      // Nothing to show (the user's own message, a join, a recall), but the conversation calls
      // no more: a window's end asks it what came meanwhile.
      this.openWindow(conversation.conversationId, window?.pushedSeq ?? 0, window?.countedSeq ?? 0);
      return;
    }
    const mentioned = news.some((message) => mentionsUser(message.mentions, this.userId));
    const message = (JSON.parse(last.frame) as { data: ChatLog }).data;
    const count = view.seq - Math.max(window?.countedSeq ?? 0, view.read);
    this.pushAndOpenWindow(conversation, view, window, message, count, mentioned);
  }

  /**
   * A window's end (the queue's delayed message): if the user is still away, the conversation
   * is caught up and what came meanwhile is pushed as one, with its count.
   */
  async windowEnded(conversationId: string): Promise<void> {
    const window = this.windows.get(conversationId);
    // A repeated or stale message: that window's end was handled.
    if (!window || window.until === 0 || window.until > Date.now() + WINDOW_END_SLACK_MS) return;
    this.windows.set(conversationId, { ...window, until: 0 });
    if (this.session.sockets() > 0 || this.subscriptions.all().length === 0) return;
    await this.session.catchUp();
    const view = this.list.pushView(conversationId);
    // Messages after the read seq are others' (sending moves it): those not counted yet came.
    const count = view ? view.seq - Math.max(window.countedSeq, view.read) : 0;
    if (!view?.lastMsg || count <= 0) return;
    const mentioned = view.mentionSeqs.some((seq) => seq > window.countedSeq);
    const message = JSON.parse(view.lastMsg) as ChatLog;
    const conversation = parseConversationId(conversationId);
    this.pushAndOpenWindow(conversation, view, window, message, count, mentioned);
  }

  /** The user has no subscription left: nothing is kept for pushes. */
  forgetAll(): void {
    this.subscriptions.clear();
    this.windows.clear();
  }

  /**
   * Pushes `message` (the newest of `count`) unless the conversation is muted and it mentions
   * nobody; either way a window opens, so the next push waits for its end and counts from here
   * (and the conversation, which calls an away member no more, is asked then).
   */
  private pushAndOpenWindow(
    conversation: ParsedConversationId,
    view: PushView,
    window: PushWindow | null,
    message: ChatLog,
    count: number,
    mentioned: boolean,
  ): void {
    const shown = !view.muted || mentioned;
    if (shown) {
      const payload: MessagePushPayload = {
        type: "message",
        conversationId: conversation.conversationId,
        chatType: conversation.chatType,
        sendId: message.sendId,
        senderName: "",
        preview: pushPreviewOf(message),
        seq: message.seq,
        count,
        unread: Math.max(0, view.seq - view.read),
      };
      this.enqueue(payload, conversation.chatType === 2 || mentioned ? "high" : "normal");
    }
    if (shown) this.openWindow(conversation.conversationId, message.seq, view.seq);
    else {this.openWindow(
        conversation.conversationId,
        window?.pushedSeq ?? 0,
        window?.countedSeq ?? 0,
      );}
  }

  /**
   * No push until the window's end, which counts the messages after `countedSeq`: those the
   * user was not told about by a push (and has not read).
   */
  private openWindow(conversationId: string, pushedSeq: number, countedSeq: number): void {
    const seconds = Number(this.env.PUSH_COALESCE_SECONDS);
    const coalesceMs = (Number.isFinite(seconds) && seconds > 0 ? seconds : 30) * 1_000;
    this.windows.set(conversationId, { pushedSeq, countedSeq, until: Date.now() + coalesceMs });
    const end: PushQueueMessage = { kind: "window", userId: this.userId, conversationId };
    this.send(this.env.PUSH_QUEUE.send(end, { delaySeconds: Math.ceil(coalesceMs / 1_000) }));
  }

  /** A recall of the message the last push showed: the push that replaces it (same Topic). */
  private replaceRecalled(batch: DeliveryBatch, fresh: PushItem[], window: PushWindow): void {
    const changeSeqs = new Set(
      fresh.flatMap((item) => item.kind === "change" ? [item.changeSeq] : []),
    );
    const recalled = (batch.changes ?? []).some((change) =>
      changeSeqs.has(change.changeSeq) && change.recalled && change.seq === window.pushedSeq
    );
    if (!recalled) return;
    const { conversationId } = batch.conversation;
    this.enqueue({ type: "recall", conversationId, seq: window.pushedSeq }, "normal");
    this.windows.set(conversationId, { ...window, pushedSeq: 0 });
  }

  /** One queue message per device; sent in the background (the delivery does not wait). */
  private enqueue(payload: PushPayload, urgency: "high" | "normal"): void {
    const enqueuedAt = Date.now();
    const messages = this.subscriptions.all().map(({ endpoint, p256dh, auth }) => ({
      body: {
        kind: "send",
        userId: this.userId,
        subscription: { endpoint, p256dh, auth },
        payload,
        urgency,
        enqueuedAt,
      } satisfies PushQueueMessage,
    }));
    this.send(this.env.PUSH_QUEUE.sendBatch(messages));
  }

  private send(queued: Promise<unknown>): void {
    this.ctx.waitUntil(queued.catch((error: unknown) => {
      console.error(`UserSession ${this.userId}: enqueueing a push failed:`, error);
    }));
  }
}
