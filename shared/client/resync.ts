/**
 * The catch-up after a connect: `conversation.sync` from the last seq seen (messages) and the
 * last change seq applied (recalls and edits) of every followed conversation, at most 50
 * conversations per request (the server's limit), paging until each is caught up.
 */

/** At most this many conversations per `conversation.sync` (MAX_SYNC_NAMES_PER_FRAME). */
export const SYNC_BATCH = 50;

/** Per conversation, where the client is: messages (`seq`) and changes (`changeSeq`). */
export interface SyncCursors {
  seq: Iterable<[string, number]>;
  changeSeq: Iterable<[string, number]>;
}

/** What `session.ready` says each conversation has reached. */
export interface SyncTarget {
  seq: number;
  changeSeq: number;
}

export interface SyncRequest {
  conversations: Record<string, number>;
  changes?: Record<string, number>;
}

export type Sync = (request: SyncRequest) => Promise<{
  conversations: Record<string, number>;
  changes?: Record<string, number>;
}>;

type Counter = keyof SyncTarget;

/**
 * Syncs each conversation until its acks stop advancing or reach what `session.ready` gave
 * (`targets`; a conversation missing there pages until its ack stops). Messages arrive as
 * `push` frames and changes as `recall`/`edit` frames before each ack; the caller orders them.
 */
export async function resyncConversations(
  cursors: SyncCursors,
  targets: ReadonlyMap<string, SyncTarget>,
  sync: Sync,
): Promise<void> {
  const target = (id: string, counter: Counter) => targets.get(id)?.[counter] ?? Infinity;
  /** The conversations whose ack moved on but not yet to the target, at the acked point. */
  const advanced = (
    asked: [string, number][],
    acked: Record<string, number> | undefined,
    counter: Counter,
  ) =>
    asked.flatMap(([id, from]): [string, number][] => {
      const reached = acked?.[id] ?? from;
      return reached > from && reached < target(id, counter) ? [[id, reached]] : [];
    });
  const behind = (counter: Counter, list: Iterable<[string, number]>) =>
    new Map([...list].filter(([id, at]) => at < target(id, counter)));
  let seqs = behind("seq", cursors.seq);
  let changes = behind("changeSeq", cursors.changeSeq);
  while (seqs.size > 0 || changes.size > 0) {
    const ids = [...new Set([...seqs.keys(), ...changes.keys()])];
    const nextSeqs = new Map<string, number>();
    const nextChanges = new Map<string, number>();
    for (let start = 0; start < ids.length; start += SYNC_BATCH) {
      const batch = ids.slice(start, start + SYNC_BATCH);
      const pick = (from: Map<string, number>) =>
        batch.filter((id) => from.has(id)).map((id): [string, number] => [id, from.get(id)!]);
      const askSeqs = pick(seqs);
      const askChanges = pick(changes);
      const ack = await sync({
        conversations: Object.fromEntries(askSeqs),
        ...(askChanges.length > 0 && { changes: Object.fromEntries(askChanges) }),
      });
      for (const entry of advanced(askSeqs, ack.conversations, "seq")) nextSeqs.set(...entry);
      for (const entry of advanced(askChanges, ack.changes, "changeSeq")) {
        nextChanges.set(...entry);
      }
    }
    seqs = nextSeqs;
    changes = nextChanges;
  }
}
