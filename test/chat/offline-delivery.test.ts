// A member whose session has no socket is called less often: at most once per
// OFFLINE_DELIVERY_INTERVAL_MS, with everything that piled up, so a message to a big group with
// few members online costs few object calls. Their list is still right within a second
// (CONTRACT §7.1), and nothing is lost or pushed twice when they come back.
import { afterEach, describe, expect, it, vi } from "vitest";
import type { DeliveryBatchJson } from "../../shared/chat/delivery.ts";
import { UserSession } from "../../workers/user-session/index.ts";
import { chatlog, conversationOf, friendsPair, isPush, sendText } from "../helpers/chat.ts";
import { connect } from "../helpers/ws.ts";

afterEach(() => {
  vi.restoreAllMocks();
});

/** Counts the `receive` calls that reach `userId`'s session. */
function countDeliveriesTo(userId: string): () => number {
  const original = UserSession.prototype.receive;
  let calls = 0;
  vi.spyOn(UserSession.prototype, "receive").mockImplementation(
    function (this: UserSession, batch: DeliveryBatchJson) {
      if (this.userId === userId) calls += 1;
      return original.call(this, batch);
    },
  );
  return () => calls;
}

describe("deliveries to a member with no socket", () => {
  it("come in fewer calls than messages, and the list is right within a second", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const calls = countDeliveriesTo(bob.id);
    for (let i = 1; i <= 6; i++) await sendText(alice, bob.id, `m${i}`);
    await vi.waitFor(
      async () =>
        expect(await conversationOf(bob, conversationId)).toMatchObject({
          seq: 6,
          unread: 6,
          lastMsg: { content: "m6" },
        }),
      { timeout: 1_000, interval: 50 },
    );
    expect(calls()).toBeGreaterThan(0);
    expect(calls()).toBeLessThan(6);
  });

  it("go at once when the member asks the conversation anything while messages wait", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    await sendText(alice, bob.id, "m1");
    // Bob's session answered "no socket": m2 waits for his next turn…
    await vi.waitFor(async () =>
      expect(await conversationOf(bob, conversationId)).toMatchObject({ seq: 1 })
    );
    await sendText(alice, bob.id, "m2");
    // …until he reads the conversation, which hands him m2 then (not at the safety-net alarm).
    expect((await chatlog(bob, { conversationId })).map((m) => m.content)).toEqual(["m1", "m2"]);
    await vi.waitFor(
      async () =>
        expect(await conversationOf(bob, conversationId)).toMatchObject({ seq: 2, unread: 2 }),
      { timeout: 1_000, interval: 50 },
    );
  });

  it("reach the member's new socket once it connects, each once and in order", async () => {
    const { alice, bob } = await friendsPair();
    await sendText(alice, bob.id, "m1");
    await sendText(alice, bob.id, "m2");
    const { socket, ready } = await connect(bob.token);
    const listed = Object.values(ready.data.conversations) as Array<{ seq: number }>;
    const seen = listed[0]?.seq ?? 0;
    await sendText(alice, bob.id, "m3");
    const seqs: number[] = [];
    while (seqs.length < 3 - seen) seqs.push((await socket.next(isPush, 5_000)).data.seq);
    expect(seqs).toEqual([1, 2, 3].slice(seen));
    // Nothing else arrives: a round trip, then no push is left unread.
    expect((await socket.request("round.trip", {})).frameType).toBe(9);
    expect(socket.unread().filter(isPush)).toEqual([]);
  });
});
