/**
 * Delivery accounting. Every message the harness sends carries `bench:<sender>:<n>:<sentAt>` as
 * its content; every receiver socket is told what to expect. From what arrives the ledger counts
 * delivered, duplicated (same message twice on one socket) and out-of-order (a sender's `n` going
 * back on one socket, or the server's `seq` for a conversation not increasing); whatever was
 * expected and never came is lost.
 */

const PREFIX = "bench:";

/** The content for message `n` of `sender` (a string without ":"), stamped now. */
export function stampContent(sender, n) {
  return `${PREFIX}${sender}:${n}:${performance.now()}`;
}

/** Parses a stamped content, or undefined for anything the harness did not send. */
export function readStamp(content) {
  if (typeof content !== "string" || !content.startsWith(PREFIX)) return undefined;
  const [sender, n, sentAt] = content.slice(PREFIX.length).split(":");
  return { key: `${sender}:${n}`, sender, n: Number(n), sentAt: Number(sentAt) };
}

export class DeliveryLedger {
  constructor() {
    this.counts = { sent: 0, delivered: 0, lost: 0, duplicated: 0, outOfOrder: 0 };
    this.receivers = new Map();
    this.serials = new Map();
    /** Called with (stamp, latencyMs) on every first delivery. */
    this.onDelivery = () => {};
  }

  /** The state for one receiver socket, created on first use. */
  receiver(receiverId) {
    let state = this.receivers.get(receiverId);
    if (!state) {
      state = { waiting: new Set(), seen: new Set(), lastN: new Map(), lastSeq: new Map() };
      this.receivers.set(receiverId, state);
    }
    return state;
  }

  /** The next message number for `sender` (numbers never repeat within a run). */
  nextSerial(sender) {
    const n = this.serials.get(sender) ?? 0;
    this.serials.set(sender, n + 1);
    return n;
  }

  /** Records that `receiverId` must get message `key` once. */
  expect(receiverId, key) {
    this.receiver(receiverId).waiting.add(key);
    this.counts.sent++;
  }

  /**
   * Feeds one `push` frame that arrived on `receiverId`, a socket of user `ownerId`. A user's
   * own message coming back to the socket that sent it is neither required nor forbidden by the
   * contract, so it is not counted either way.
   */
  receive(receiverId, frame, ownerId) {
    const stamp = readStamp(frame.data?.content);
    if (!stamp || stamp.sender === ownerId) return;
    const now = performance.now();
    const state = this.receiver(receiverId);
    if (state.seen.has(stamp.key)) {
      this.counts.duplicated++;
      return;
    }
    state.seen.add(stamp.key);
    if (!state.waiting.delete(stamp.key)) {
      // A push nobody expected here: as bad as a duplicate for a client.
      this.counts.duplicated++;
      return;
    }
    this.counts.delivered++;
    if ((state.lastN.get(stamp.sender) ?? -1) > stamp.n) this.counts.outOfOrder++;
    state.lastN.set(stamp.sender, stamp.n);
    this.checkSeq(state, frame.data);
    this.onDelivery(stamp, now - stamp.sentAt, receiverId);
  }

  /** The app numbers each conversation's messages; a socket must see them increase. */
  checkSeq(state, data) {
    if (typeof data.seq !== "number" || typeof data.conversationId !== "string") return;
    const last = state.lastSeq.get(data.conversationId) ?? 0;
    if (data.seq <= last) this.counts.outOfOrder++;
    state.lastSeq.set(data.conversationId, data.seq);
  }

  /** How many messages `receiverIds` are still waiting for. */
  waitingAt(receiverIds) {
    let waiting = 0;
    for (const id of receiverIds) waiting += this.receivers.get(id)?.waiting.size ?? 0;
    return waiting;
  }

  /** Counts everything still waiting as lost and returns the totals. */
  settle() {
    for (const state of this.receivers.values()) {
      this.counts.lost += state.waiting.size;
      state.waiting.clear();
    }
    return { ...this.counts };
  }
}

/** Adds `more` delivery counts into `total`. */
export function addCounts(total, more) {
  for (const key of Object.keys(total)) total[key] += more[key];
  return total;
}
