// CONTRACT §7.1 and §7.4 across a real eviction of the receiving UserSession: messages pending
// for it (its deliveries failing) arrive after it wakes, once each, in order, counted once.
import { evictDurableObject, runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { conversationOf, friendsPair, isPush, sendText } from "../helpers/chat.ts";
import { failDeliveriesTo } from "../helpers/faults.ts";
import { instanceOf } from "../helpers/restarts.ts";
import { connect, type TestSocket } from "../helpers/ws.ts";

afterEach(() => {
  vi.restoreAllMocks();
});

/** Proof nothing else is queued: a round trip on the socket, then no unread push. */
async function expectNoMorePushes(socket: TestSocket): Promise<void> {
  expect((await socket.request("user.online", {})).frameType).toBe(2);
  expect(socket.unread().filter(isPush)).toEqual([]);
}

describe("a UserSession evicted while messages for it are pending", () => {
  it("hibernated: the retry wakes it and its socket gets each message once, in order", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const { socket } = await connect(bob.token, { deviceId: "phone" });
    const fault = failDeliveriesTo(bob.id);
    const acks = [];
    for (const text of ["one", "two", "three"]) acks.push(await sendText(alice, bob.id, text));
    await vi.waitFor(() => expect(fault.failures()).toBeGreaterThanOrEqual(1));
    const session = env.USER_SESSION.getByName(bob.id);
    const before = await instanceOf(session);
    await evictDurableObject(session, { webSockets: "hibernate" });
    expect(socket.closeEvent).toBeUndefined();
    expect(socket.unread().filter(isPush)).toEqual([]);

    fault.heal();
    // The Conversation's retry is what wakes Bob's session (a new instance).
    expect(await runDurableObjectAlarm(env.CONVERSATION.getByName(conversationId))).toBe(true);
    const pushes = [];
    for (let i = 0; i < 3; i++) pushes.push((await socket.next(isPush)).data);
    expect(pushes.map((m) => [m.seq, m.msgId])).toEqual(acks.map((a, i) => [i + 1, a.msgId]));
    expect(await instanceOf(session)).not.toBe(before);
    await expectNoMorePushes(socket);
    expect(await conversationOf(bob, conversationId)).toMatchObject({ seq: 3, read: 0, unread: 3 });

    // Another device syncing from 0 gets the three again on its own socket only; they are
    // not counted or pushed a second time.
    const tablet = await connect(bob.token, { deviceId: "tablet" });
    expect(tablet.ready.data.conversations[conversationId]).toMatchObject({
      seq: 3,
      read: 0,
      unread: 3,
      lastMsg: { seq: 3 },
    });
    const synced = await tablet.socket.request("conversation.sync", {
      conversations: { [conversationId]: 0 },
    });
    expect(synced).toMatchObject({
      frameType: 2,
      data: { conversations: { [conversationId]: 3 } },
    });
    expect(tablet.socket.unread().filter(isPush).map((frame) => frame.data.seq)).toEqual([1, 2, 3]);
    await expectNoMorePushes(socket);
    expect(await conversationOf(bob, conversationId)).toMatchObject({ seq: 3, unread: 3 });
    socket.close();
    tablet.socket.close();
  });

  it("closed: the client reconnects and syncs first; the late retry adds nothing", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const { socket } = await connect(bob.token, { deviceId: "phone" });
    const fault = failDeliveriesTo(bob.id);
    await sendText(alice, bob.id, "one");
    await sendText(alice, bob.id, "two");
    await vi.waitFor(() => expect(fault.failures()).toBeGreaterThanOrEqual(1));
    const session = env.USER_SESSION.getByName(bob.id);
    await evictDurableObject(session, { webSockets: "close" });
    // Torn down without a close frame: the client sees an abnormal closure (see restart.test.ts).
    expect((await socket.closed()).code).toBe(1006);

    const again = await connect(bob.token, { deviceId: "phone" });
    // Nothing reached the session yet: its list does not know the conversation.
    expect(again.ready.data.conversations).toEqual({});
    const synced = await again.socket.request("conversation.sync", {
      conversations: { [conversationId]: 0 },
    });
    expect(synced.data).toEqual({ conversations: { [conversationId]: 2 } });
    expect(again.socket.unread().filter(isPush).map((frame) => frame.data.seq)).toEqual([1, 2]);
    for (let i = 0; i < 2; i++) await again.socket.next(isPush);
    expect(await conversationOf(bob, conversationId)).toMatchObject({ seq: 2, read: 0, unread: 2 });

    // The Conversation's retry now reaches the session: both messages are already there.
    fault.heal();
    expect(await runDurableObjectAlarm(env.CONVERSATION.getByName(conversationId))).toBe(true);
    await vi.waitFor(() => expect(fault.calls()).toBeGreaterThan(fault.failures()));
    await expectNoMorePushes(again.socket);
    expect(await conversationOf(bob, conversationId)).toMatchObject({ seq: 2, read: 0, unread: 2 });

    // And the live path is intact: the next message is pushed once and counted once.
    await sendText(alice, bob.id, "three");
    expect((await again.socket.next(isPush)).data).toMatchObject({ seq: 3, content: "three" });
    await expectNoMorePushes(again.socket);
    expect(await conversationOf(bob, conversationId)).toMatchObject({ seq: 3, unread: 3 });
    again.socket.close();
  });
});
