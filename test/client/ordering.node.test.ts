/** The SDK's pure parts: backoff bounds, per-conversation ordering, sync paging. */
import { describe, expect, it } from "vitest";
import { type ChatLog, MessageOrder, reconnectDelay } from "../../shared/client/index.ts";
import { resyncConversations, type SyncRequest } from "../../shared/client/resync.ts";

const message = (conversationId: string, seq: number) => ({ conversationId, seq }) as ChatLog;
const seqs = (list: ChatLog[]) => list.map((m) => m.seq);

describe("reconnectDelay", () => {
  it("doubles its ceiling per attempt up to the maximum, jittered below it", () => {
    const options = { initialMs: 100, maxMs: 1000 };
    expect([0, 1, 2, 3, 4, 10].map((n) => reconnectDelay(n, options, () => 0.999))).toEqual([
      99,
      199,
      399,
      799,
      999,
      999,
    ]);
    expect(reconnectDelay(3, options, () => 0)).toBe(0);
    expect(reconnectDelay(3, options, () => 0.5)).toBe(400);
  });
});

describe("MessageOrder", () => {
  it("starts an unknown conversation at its first message and drops repeats", () => {
    const order = new MessageOrder();
    expect(seqs(order.accept(message("c", 7)).deliver)).toEqual([7]);
    expect(seqs(order.accept(message("c", 7)).deliver)).toEqual([]);
    expect(seqs(order.accept(message("c", 8)).deliver)).toEqual([8]);
  });

  it("holds messages after a gap until it is filled, then releases them in order", () => {
    const order = new MessageOrder();
    order.follow("c", 1);
    expect(order.accept(message("c", 4))).toEqual({ deliver: [], gap: true });
    expect(order.accept(message("c", 3))).toEqual({ deliver: [], gap: true });
    expect(order.hasGap("c")).toBe(true);
    expect(seqs(order.accept(message("c", 2)).deliver)).toEqual([2, 3, 4]);
    expect(order.hasGap("c")).toBe(false);
    expect(order.cursor("c")).toBe(4);
  });

  it("keeps conversations apart and never moves a cursor back", () => {
    const order = new MessageOrder();
    order.follow("a", 5);
    order.follow("a", 2);
    expect(order.cursor("a")).toBe(5);
    expect(seqs(order.accept(message("b", 1)).deliver)).toEqual([1]);
    expect(seqs(order.accept(message("a", 6)).deliver)).toEqual([6]);
  });
});

describe("resyncConversations", () => {
  const noChanges = (ids: Iterable<string>) => new Map([...ids].map((id) => [id, 0]));

  it("pages each conversation until its ack reaches session.ready's seq, 50 per request", async () => {
    // A server that pushes at most 200 per conversation per request, as the real one does.
    const latest = new Map<string, number>([["far", 450]]);
    for (let i = 0; i < 150; i++) latest.set(`c${i}`, 3);
    const targets = new Map([...latest].map(([id, seq]) => [id, { seq, changeSeq: 0 }]));
    const requests: SyncRequest[] = [];
    await resyncConversations(
      { seq: [...latest.keys()].map((id) => [id, 0]), changeSeq: noChanges(latest.keys()) },
      targets,
      (request) => {
        requests.push(request);
        const acked = Object.fromEntries(
          Object.entries(request.conversations).map((
            [id, from],
          ) => [id, Math.min(from + 200, latest.get(id)!)]),
        );
        return Promise.resolve({ conversations: acked });
      },
    );
    expect(requests.map((r) => Object.keys(r.conversations).length)).toEqual([50, 50, 50, 1, 1, 1]);
    expect(requests.slice(4)).toEqual([{ conversations: { far: 200 } }, {
      conversations: { far: 400 },
    }]);
  });

  it("stops paging a conversation whose ack does not advance", async () => {
    const requests: SyncRequest[] = [];
    await resyncConversations(
      { seq: [["x", 5]], changeSeq: [["x", 2]] },
      new Map(),
      (request) => {
        requests.push(request);
        return Promise.resolve({ conversations: { x: 5 }, changes: { x: 2 } });
      },
    );
    expect(requests).toEqual([{ conversations: { x: 5 }, changes: { x: 2 } }]);
  });

  it("asks for changes where session.ready's changeSeq is ahead, paging on the ack's changes", async () => {
    // "old" is behind in messages only, "edited" in changes only (its answer stops at 200).
    const targets = new Map([
      ["old", { seq: 9, changeSeq: 1 }],
      ["edited", { seq: 4, changeSeq: 250 }],
      ["done", { seq: 3, changeSeq: 7 }],
    ]);
    const requests: SyncRequest[] = [];
    await resyncConversations(
      {
        seq: [["old", 2], ["edited", 4], ["done", 3]],
        changeSeq: [["old", 1], ["edited", 10], ["done", 7]],
      },
      targets,
      (request) => {
        requests.push(request);
        const changes = Object.fromEntries(
          Object.entries(request.changes ?? {}).map((
            [id, from],
          ) => [id, Math.min(from + 200, targets.get(id)!.changeSeq)]),
        );
        return Promise.resolve({ conversations: { ...request.conversations, old: 9 }, changes });
      },
    );
    expect(requests).toEqual([
      { conversations: { old: 2 }, changes: { edited: 10 } },
      { conversations: {}, changes: { edited: 210 } },
    ]);
  });
});
