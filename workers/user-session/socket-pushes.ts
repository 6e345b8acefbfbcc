/**
 * Message and change pushes to the user's sockets, in the order they happened per
 * conversation. A socket syncing a conversation has that conversation's live pushes held back
 * (memory only: a sync in flight keeps the object awake) and gets them after the sync's own
 * pushes, each once.
 */
import type { PushItem } from "./list-rows.ts";
import { openSockets, sendFrame } from "./sockets.ts";

/** Where a sync's own pushes stopped: the last message seq and change seq it covered. */
export interface SyncReach {
  /** NO_MESSAGES when the sync covered no messages (it was asked for changes only). */
  seq: number;
  /** NO_CHANGES when the sync pushed no changes (it was not asked for them). */
  changeSeq: number;
}

/** A sync that covered no messages: every live message held back during it goes out after. */
export const NO_MESSAGES = -1;
/** A sync that covered no changes: every live change held back during it goes out after. */
export const NO_CHANGES = -1;

export class SocketPushes {
  /** Per syncing socket and conversation: live pushes waiting for the sync to finish. */
  private readonly heldBack = new Map<WebSocket, Map<string, PushItem[]>>();

  constructor(private readonly ctx: DurableObjectState) {}

  /**
   * Pushes one conversation's new messages and changes, in order, to every open socket;
   * returns how many sockets are open.
   */
  toAll(conversationId: string, items: PushItem[]): number {
    const sockets = openSockets(this.ctx);
    if (items.length === 0) return sockets.length;
    for (const ws of sockets) {
      const held = this.heldBack.get(ws)?.get(conversationId);
      if (held) held.push(...items);
      else for (const item of items) sendFrame(ws, item.frame);
    }
    return sockets.length;
  }

  /**
   * Runs `sync`, which pushes a conversation's messages after `lastSeqSeen` (and changes, when
   * asked) on `ws` and says where it stopped, while live pushes of that conversation to `ws`
   * wait; then sends the waiting ones it did not cover, in order. Returns what `sync` returned.
   */
  async holdingBack(
    ws: WebSocket,
    conversationId: string,
    lastSeqSeen: number,
    sync: () => Promise<SyncReach>,
  ): Promise<SyncReach> {
    const held: PushItem[] = [];
    const bySocket = this.heldBack.get(ws) ?? new Map<string, PushItem[]>();
    bySocket.set(conversationId, held);
    this.heldBack.set(ws, bySocket);
    let reach: SyncReach = { seq: lastSeqSeen, changeSeq: NO_CHANGES };
    try {
      reach = await sync();
      return reach;
    } finally {
      bySocket.delete(conversationId);
      if (bySocket.size === 0) this.heldBack.delete(ws);
      let { seq, changeSeq } = reach;
      for (const item of held) {
        if (item.kind === "message" && item.seq > seq) {
          sendFrame(ws, item.frame);
          seq = item.seq;
        } else if (item.kind === "change" && item.changeSeq > changeSeq) {
          sendFrame(ws, item.frame);
          changeSeq = item.changeSeq;
        }
      }
    }
  }
}
