/**
 * Message pushes to the user's sockets, in seq order per conversation. A socket syncing a
 * conversation has that conversation's live pushes held back (memory only: a sync in flight
 * keeps the object awake) and gets them after the sync's own pushes, each once.
 */
import type { ChatLog } from "../../shared/chat/schemas.ts";
import { encodeFrame, pushFrame } from "../../shared/protocol/index.ts";
import { openSockets, sendFrame } from "./sockets.ts";

export class SocketPushes {
  /** Per syncing socket and conversation: live messages waiting for the sync to finish. */
  private readonly heldBack = new Map<WebSocket, Map<string, ChatLog[]>>();

  constructor(private readonly ctx: DurableObjectState) {}

  /** Pushes one conversation's messages, in seq order, to every open socket. */
  toAll(messages: ChatLog[]): void {
    const first = messages[0];
    if (!first) return;
    const texts = messages.map((message) => encodeFrame(pushFrame("push", message)));
    for (const ws of openSockets(this.ctx)) {
      const held = this.heldBack.get(ws)?.get(first.conversationId);
      if (held) held.push(...messages);
      else for (const text of texts) sendFrame(ws, text);
    }
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
    const held: ChatLog[] = [];
    const bySocket = this.heldBack.get(ws) ?? new Map<string, ChatLog[]>();
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
          sendFrame(ws, pushFrame("push", message));
          sent = message.seq;
        }
      }
    }
  }
}
