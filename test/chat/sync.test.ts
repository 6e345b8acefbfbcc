import { describe, expect, it, vi } from "vitest";
import { conversationOf, friendsPair, isPush, pairKey, sendText } from "../helpers/chat.ts";
import { quickUser } from "../helpers/social.ts";
import { connect, type Frame } from "../helpers/ws.ts";
import { storeText } from "../helpers/direct-send.ts";

describe("conversation.sync", () => {
  it("pushes what was missed while offline, in seq order, before the ack", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    for (let i = 1; i <= 5; i++) await sendText(alice, bob.id, `m${i}`);
    // Bob has no socket: his list hears of the messages within a second (CONTRACT §7.1).
    await vi.waitFor(async () =>
      expect(await conversationOf(bob, conversationId)).toMatchObject({ seq: 5, unread: 5 })
    );
    const { socket, ready } = await connect(bob.token);
    expect(ready.data.conversations[conversationId]).toMatchObject({ seq: 5, unread: 5 });
    const id = crypto.randomUUID();
    socket.send({
      frameType: 0,
      id,
      method: "conversation.sync",
      data: { conversations: { [conversationId]: 2 } },
    });
    const frames: Frame[] = [];
    while (frames.length < 4) frames.push(await socket.next((f) => isPush(f) || f.id === id));
    expect(frames.slice(0, 3).map((f) => f.data.seq)).toEqual([3, 4, 5]);
    expect(frames[3]).toEqual({
      frameType: 2,
      id,
      data: { conversations: { [conversationId]: 5 } },
    });
  });

  it("stops at 200 per conversation; the ack's seq says where, so the client asks again", {
    timeout: 60_000,
  }, async () => {
    const { alice, bob, conversationId } = await friendsPair();
    // Straight to the conversation: 205 sends this fast are over the per-user message limit.
    for (let i = 0; i < 205; i += 5) {
      await Promise.all(Array.from({ length: 5 }, (_, j) => storeText(alice, bob.id, `m${i + j}`)));
    }
    // Deliveries still running when a socket connects may push live before the sync (see
    // docs/messaging.md); this test is about the sync alone, so it lets them finish first.
    await vi.waitFor(
      async () => expect((await conversationOf(bob, conversationId))?.seq).toBe(205),
      {
        timeout: 20_000,
        interval: 100,
      },
    );
    const { socket } = await connect(bob.token);
    const first = await socket.request("conversation.sync", {
      conversations: { [conversationId]: 0 },
    });
    expect(first.data.conversations[conversationId]).toBe(200);
    const pushed: number[] = [];
    while (pushed.length < 200) pushed.push((await socket.next(isPush)).data.seq);
    expect(pushed).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    const second = await socket.request("conversation.sync", {
      conversations: { [conversationId]: 200 },
    });
    expect(second.data.conversations[conversationId]).toBe(205);
    const rest: number[] = [];
    while (rest.length < 5) rest.push((await socket.next(isPush)).data.seq);
    expect(rest).toEqual([201, 202, 203, 204, 205]);
  });

  it("acks the given seq when nothing is newer", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    await sendText(alice, bob.id, "only");
    const { socket } = await connect(bob.token);
    const ack = await socket.request("conversation.sync", {
      conversations: { [conversationId]: 1 },
    });
    expect(ack.data).toEqual({ conversations: { [conversationId]: 1 } });
  });

  it.each([
    ["a conversation of others", "OTHERS", 100006],
    ["a malformed id", "nope", 100002],
  ])("refuses %s with an error frame", async (_label, which, code) => {
    const { alice, bob } = await friendsPair();
    await sendText(alice, bob.id, "x");
    const eve = await quickUser();
    const { socket } = await connect(eve.token);
    const conversationId = which === "OTHERS" ? pairKey(alice.id, bob.id) : which;
    const error = await socket.request("conversation.sync", {
      conversations: { [conversationId]: 0 },
    });
    expect(error).toMatchObject({ frameType: 9, data: { code } });
  });

  it("refuses a negative lastSeqSeen and more than 100 conversations", async () => {
    const { alice, conversationId } = await friendsPair();
    const { socket } = await connect(alice.token);
    const negative = await socket.request("conversation.sync", {
      conversations: { [conversationId]: -1 },
    });
    expect(negative.data.code).toBe(100002);
    const many = Object.fromEntries(
      Array.from({ length: 101 }, (_, i) => [i.toString(16).padStart(32, "0"), 0]),
    );
    const tooMany = await socket.request("conversation.sync", { conversations: many });
    expect(tooMany.data.code).toBe(100002);
  });
});
