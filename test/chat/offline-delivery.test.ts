// A member whose session has no socket costs one call per absence, not per message: the first
// message after they went quiet tells their session the conversation has news, and nothing more
// is called until they ask. Their list and `session.ready` are still exact at once (CONTRACT
// §6, §7.4): the session catches up with the conversations that have news before it answers.
import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
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

/** A moment for any delivery still on its way to land (none should be). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

describe("deliveries to a member with no socket", () => {
  it("cost one call for the whole absence, and the list is exact as soon as it is asked", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const calls = countDeliveriesTo(bob.id);
    for (let i = 1; i <= 6; i++) await sendText(alice, bob.id, `m${i}`);
    await settle();
    expect(calls()).toBe(1);
    // No waiting: the list read itself catches up with the conversation.
    expect(await conversationOf(bob, conversationId)).toMatchObject({
      seq: 6,
      unread: 6,
      lastMsg: { content: "m6" },
    });
    // Having asked, Bob is told again by the next message (once), and the list follows.
    for (let i = 7; i <= 9; i++) await sendText(alice, bob.id, `m${i}`);
    await settle();
    expect(calls()).toBe(2);
    expect(await conversationOf(bob, conversationId)).toMatchObject({ seq: 9, unread: 9 });
  });

  it("are not made by the conversation's alarm either (it retries failures, not absences)", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const calls = countDeliveriesTo(bob.id);
    await sendText(alice, bob.id, "m1");
    await vi.waitFor(() => expect(calls()).toBe(1));
    await sendText(alice, bob.id, "m2");
    // The safety-net alarm set with the sends runs now: Bob is behind, but away.
    expect(await runDurableObjectAlarm(env.CONVERSATION.getByName(conversationId))).toBe(true);
    await settle();
    expect(calls()).toBe(1);
    expect(await conversationOf(bob, conversationId)).toMatchObject({ seq: 2, unread: 2 });
  });

  it("go at once when the member asks the conversation anything while messages wait", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const calls = countDeliveriesTo(bob.id);
    await sendText(alice, bob.id, "m1");
    await vi.waitFor(() => expect(calls()).toBe(1));
    // Bob's session answered "no socket": m2 is not delivered…
    await sendText(alice, bob.id, "m2");
    await settle();
    expect(calls()).toBe(1);
    // …until he reads the conversation, which hands it to his session then.
    expect((await chatlog(bob, { conversationId })).map((m) => m.content)).toEqual(["m1", "m2"]);
    await vi.waitFor(() => expect(calls()).toBe(2));
    expect(await conversationOf(bob, conversationId)).toMatchObject({ seq: 2, unread: 2 });
  });

  it("session.ready is exact right after a short absence", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    await sendText(alice, bob.id, "m1");
    const first = await connect(bob.token);
    expect(first.ready.data.conversations[conversationId]).toMatchObject({ seq: 1, unread: 1 });
    first.socket.close();
    await first.socket.closed();
    for (let i = 2; i <= 6; i++) await sendText(alice, bob.id, `m${i}`);
    // Well within the time any deferred delivery or save would take to catch up by itself.
    const { socket, ready } = await connect(bob.token);
    expect(ready.data.conversations[conversationId]).toMatchObject({
      seq: 6,
      read: 0,
      unread: 6,
      lastMsg: { content: "m6" },
    });
    socket.close();
  });

  it("reach the member's new socket once it connects, each once and in order", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    await sendText(alice, bob.id, "m1");
    await sendText(alice, bob.id, "m2");
    const { socket, ready } = await connect(bob.token);
    expect(ready.data.conversations[conversationId]).toMatchObject({ seq: 2, unread: 2 });
    await sendText(alice, bob.id, "m3");
    expect((await socket.next(isPush, 5_000)).data.seq).toBe(3);
    // Nothing else arrives: a round trip, then no push is left unread.
    expect((await socket.request("round.trip", {})).frameType).toBe(9);
    expect(socket.unread().filter(isPush)).toEqual([]);
    socket.close();
  });
});
