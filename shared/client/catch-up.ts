/**
 * What a session asks for to catch up: the resync after each `session.ready` (resync.ts pages
 * it) and the fill of a gap a lost push left (one sync at a time per conversation). The missed
 * messages and changes arrive as pushes before each ack; the session orders them.
 */
import type { ChangeOrder } from "./change-order.ts";
import { ChatError, RATE_LIMITED_CODE } from "./errors.ts";
import type { MessageOrder } from "./message-order.ts";
import type { ReadyConversation, SyncData } from "./protocol.ts";
import { resyncConversations } from "./resync.ts";

export class CatchUp {
  private readonly gapSyncs = new Set<string>();
  private readonly order: MessageOrder;
  private readonly changes: ChangeOrder;
  private readonly request: (data: SyncData) => Promise<SyncData>;

  constructor(
    order: MessageOrder,
    changes: ChangeOrder,
    request: (data: SyncData) => Promise<SyncData>,
  ) {
    this.order = order;
    this.changes = changes;
    this.request = request;
  }

  /** Syncs every followed conversation up to what `session.ready` said it has. */
  resync(ready: Record<string, ReadyConversation>): Promise<void> {
    return resyncConversations(
      { seq: this.order.cursorsList(), changeSeq: this.changes.cursorsList() },
      new Map(Object.entries(ready)),
      (request) => this.sync(request),
    );
  }

  /** Fetches what is missing before a held-back message; one fill per conversation at a time. */
  async fillGap(conversationId: string): Promise<void> {
    if (this.gapSyncs.has(conversationId)) return;
    this.gapSyncs.add(conversationId);
    try {
      while (this.order.hasGap(conversationId)) {
        const from = this.order.cursor(conversationId) ?? 0;
        const request = { conversations: { [conversationId]: from } };
        const ack = await retryWhenLimited(() => this.request(request));
        if ((ack.conversations[conversationId] ?? from) <= from) break;
      }
    } finally {
      this.gapSyncs.delete(conversationId);
    }
  }

  /** One `conversation.sync`; the changes it answered for are applied up to its ack. */
  private async sync(request: SyncData): Promise<SyncData> {
    const ack = await retryWhenLimited(() => this.request(request));
    for (const [id, reached] of Object.entries(ack.changes ?? {})) {
      this.changes.follow(id, reached);
    }
    return ack;
  }
}

/**
 * Runs `call` again after the wait a 100008 names, up to `tries` times: a sync refused by the
 * user's sync budget (CONTRACT §15) is not final, and the catch-up must not end early for it.
 */
export async function retryWhenLimited<T>(call: () => Promise<T>, tries = 5): Promise<T> {
  for (let attempt = 1;; attempt++) {
    try {
      return await call();
    } catch (error) {
      const limited = error instanceof ChatError && error.code === RATE_LIMITED_CODE;
      if (!limited || attempt >= tries) throw error;
      await new Promise((resolve) => setTimeout(resolve, (error.retryAfter ?? 1) * 1000));
    }
  }
}
