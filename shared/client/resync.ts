/**
 * The catch-up after a connect: `conversation.sync` from the last seq seen, for every followed
 * conversation, at most 100 per request (the server's limit), paging until each is caught up.
 */

/** At most this many conversations per `conversation.sync` (MAX_SYNC_CONVERSATIONS). */
export const SYNC_BATCH = 100;

type Sync = (conversations: Record<string, number>) => Promise<{
  conversations: Record<string, number>;
}>;

/**
 * Syncs each `[conversationId, lastSeqSeen]` until its ack stops advancing or reaches the seq
 * `session.ready` gave (`targets`; a conversation missing there pages until the ack stops).
 * The messages themselves arrive as pushes before each ack; the caller orders them.
 */
export async function resyncConversations(
  cursors: [string, number][],
  targets: ReadonlyMap<string, number>,
  sync: Sync,
): Promise<void> {
  let behind = cursors.filter(([id, seq]) => seq < (targets.get(id) ?? Infinity));
  while (behind.length > 0) {
    const next: [string, number][] = [];
    for (let start = 0; start < behind.length; start += SYNC_BATCH) {
      const batch = behind.slice(start, start + SYNC_BATCH);
      const ack = await sync(Object.fromEntries(batch));
      for (const [id, from] of batch) {
        const reached = ack.conversations[id] ?? from;
        if (reached > from && reached < (targets.get(id) ?? Infinity)) next.push([id, reached]);
      }
    }
    behind = next;
  }
}
