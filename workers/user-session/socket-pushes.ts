/**
 * Message pushes to the user's sockets, in seq order per conversation. A socket syncing a
 * conversation has that conversation's live pushes held back (memory only: a sync in flight
 * keeps the object awake) and gets them after the sync's own pushes, each once.
 */
import type { DeliveredMessage } from "../../shared/chat/types.ts";
import { openSockets, sendFrame } from "./sockets.ts";

export class SocketPushes {
  /** Per syncing socket and conversation: live messages waiting for the sync to finish. */
  private readonly heldBack = new Map<WebSocket, Map<string, DeliveredMessage[]>>();

  constructor(private readonly ctx: DurableObjectState) {}

  /**
   * Pushes one conversation's messages, in seq order, to every open socket; returns how many
   * sockets are open.
   */
  toAll(conversationId: string, messages: DeliveredMessage[]): number {
    const sockets = openSockets(this.ctx);
    if (messages.length === 0) return sockets.length;
    for (const ws of sockets) {
      const held = this.heldBack.get(ws)?.get(conversationId);
      if (held) held.push(...messages);
      else for (const message of messages) sendFrame(ws, message.frame);
    }
    return sockets.length;
  }

  /**
   * Runs `sync`, which pushes a conversation's messages after `lastSeqSeen` on `ws` and returns
   * the last seq it pushed, while live pushes of that conversation to `ws` wait; then sends the
   * waiting ones it did not cover, in seq order. Returns what `sync` returned.
   */
  async holdingBack(
    ws: WebSocket,
    conversationId: string,
    lastSeqSeen: number,
    sync: () => Promise<number>,
  ): Promise<number> {
    const held: DeliveredMessage[] = [];
    const bySocket = this.heldBack.get(ws) ?? new Map<string, DeliveredMessage[]>();
    bySocket.set(conversationId, held);
    this.heldBack.set(ws, bySocket);
    let sent = lastSeqSeen;
    try {
      sent = await sync();
      return sent;
    } finally {
      bySocket.delete(conversationId);
      if (bySocket.size === 0) this.heldBack.delete(ws);
      for (const message of held) {
        if (message.seq > sent) {
          sendFrame(ws, message.frame);
          sent = message.seq;
        }
      }
    }
  }
}
