import { describe, expect, it } from "vitest";
import { chatlog, friendsPair, isPush } from "../helpers/chat.ts";
import { quickUser } from "../helpers/social.ts";
import { connect } from "../helpers/ws.ts";

const text = (recvId: string, content: string) => ({
  chatType: 2,
  recvId,
  msg: { mType: 0, content },
});

describe("conversation.chat", () => {
  it("acks, then pushes to the recipient and to the sender's other device", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const { socket: aliceWeb } = await connect(alice.token, { deviceId: "web" });
    const { socket: alicePhone } = await connect(alice.token, { deviceId: "phone" });
    const { socket: bobPhone } = await connect(bob.token);

    const ack = await aliceWeb.request("conversation.chat", text(bob.id, "hi"));
    expect(ack.frameType).toBe(2);
    expect(ack.data).toMatchObject({ conversationId, seq: 1 });

    for (const socket of [bobPhone, alicePhone]) {
      const push = await socket.next(isPush);
      expect(push).toMatchObject({
        frameType: 0,
        method: "push",
        formId: alice.id,
        data: { msgId: ack.data.msgId, seq: 1, sendId: alice.id, recvId: bob.id, content: "hi" },
      });
    }
  });

  it("answers a resent frame id with the original ack and stores nothing new", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const { socket } = await connect(alice.token);
    const { socket: bobSocket } = await connect(bob.token);
    const first = await socket.request("conversation.chat", text(bob.id, "once"), "frame-1");
    const again = await socket.request("conversation.chat", text(bob.id, "once"), "frame-1");
    expect(again.data).toEqual(first.data);
    await bobSocket.next(isPush);
    // The only other frame Bob could get is a second push; a later message proves none came.
    const next = await socket.request("conversation.chat", text(bob.id, "twice"), "frame-2");
    expect(next.data.seq).toBe(2);
    expect((await bobSocket.next(isPush)).data.seq).toBe(2);
    expect((await chatlog(bob, { conversationId })).map((m) => m.content)).toEqual([
      "once",
      "twice",
    ]);
  });

  it("gives the same ack to a resend after reconnecting", async () => {
    const { alice, bob } = await friendsPair();
    const { socket } = await connect(alice.token);
    const first = await socket.request("conversation.chat", text(bob.id, "before"), "stable-id");
    socket.close();
    const { socket: again } = await connect(alice.token);
    const resent = await again.request("conversation.chat", text(bob.id, "before"), "stable-id");
    expect(resent.data).toEqual(first.data);
  });

  it("keeps seq contiguous with two users and two devices sending at once", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const { socket: a1 } = await connect(alice.token, { deviceId: "a1" });
    const { socket: a2 } = await connect(alice.token, { deviceId: "a2" });
    const { socket: b1 } = await connect(bob.token);
    const sends = [];
    for (let i = 0; i < 10; i++) {
      sends.push(a1.request("conversation.chat", text(bob.id, `a1-${i}`)));
      sends.push(a2.request("conversation.chat", text(bob.id, `a2-${i}`)));
      sends.push(b1.request("conversation.chat", text(alice.id, `b1-${i}`)));
    }
    const acks = await Promise.all(sends);
    const seqs = acks.map((ack) => ack.data.seq).sort((x, y) => x - y);
    expect(seqs).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    const log = await chatlog(alice, { conversationId, count: 100 });
    expect(log.map((m) => m.seq)).toEqual(seqs);
    // Each socket sees the pushes in increasing seq, each exactly once.
    for (const socket of [a1, a2, b1]) {
      const pushed: number[] = [];
      while (pushed.length < 30) pushed.push((await socket.next(isPush)).data.seq);
      expect(pushed).toEqual(seqs);
    }
  });

  it.each([
    ["content over 16 KiB", { msg: { mType: 0, content: "x".repeat(16 * 1024 + 1) } }, 100009],
    ["an unknown mType", { msg: { mType: 9, content: "x" } }, 100002],
    ["a conversationId that does not match", { conversationId: "f".repeat(32) }, 100002],
    ["a missing recvId", { recvId: undefined }, 100002],
  ])("answers %s with an error frame and keeps the socket", async (_label, override, code) => {
    const { alice, bob } = await friendsPair();
    const { socket } = await connect(alice.token);
    const error = await socket.request("conversation.chat", { ...text(bob.id, "x"), ...override });
    expect(error).toMatchObject({ frameType: 9, data: { code } });
    const fine = await socket.request("conversation.chat", text(bob.id, "still here"));
    expect(fine.frameType).toBe(2);
  });

  it("refuses a non-friend with a 100006 error frame", async () => {
    const alice = await quickUser();
    const stranger = await quickUser();
    const { socket } = await connect(alice.token);
    const error = await socket.request("conversation.chat", text(stranger.id, "hi"));
    expect(error).toMatchObject({ frameType: 9, data: { code: 100006 } });
  });
});
