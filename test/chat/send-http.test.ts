import { describe, expect, it } from "vitest";
import { chatlog, conversationOf, friendsPair, pairKey, sendText } from "../helpers/chat.ts";
import { api } from "../helpers/http.ts";
import { createGroup, quickUser } from "../helpers/social.ts";

const send = (token: string, body: unknown) => api("POST", "/v1/im/chat", { token, body });

describe("POST /v1/im/chat", () => {
  it("acks with seq 1 and the message is then in chatlog and counted unread", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const ack = await sendText(alice, bob.id, "hello bob");
    expect(ack).toEqual({
      msgId: expect.stringMatching(/^[0-9a-f]{32}$/),
      conversationId,
      seq: 1,
      sendTime: expect.any(Number),
    });
    const log = await chatlog(bob, { conversationId });
    expect(log).toEqual([{
      msgId: ack.msgId,
      conversationId,
      chatType: 2,
      sendId: alice.id,
      recvId: bob.id,
      seq: 1,
      mType: 0,
      content: "hello bob",
      sendTime: ack.sendTime,
      status: 0,
      editTime: 0,
      replyTo: null,
      mentions: [],
      media: null,
      reactions: [],
    }]);
    await expect.poll(() => conversationOf(bob, conversationId)).toMatchObject({
      seq: 1,
      read: 0,
      unread: 1,
    });
    await expect.poll(() => conversationOf(alice, conversationId)).toMatchObject({
      seq: 1,
      read: 1,
      unread: 0,
    });
  });

  it("returns the original ack for a resend with the same clientMsgId, storing one message", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const body = {
      chatType: 2,
      recvId: bob.id,
      msg: { mType: 0, content: "once" },
      clientMsgId: "c-1",
    };
    const first = await send(alice.token, body);
    const again = await send(alice.token, { ...body, msg: { mType: 0, content: "changed" } });
    expect(again.body.data).toEqual(first.body.data);
    const log = await chatlog(alice, { conversationId });
    expect(log.map((m) => m.content)).toEqual(["once"]);
    // Another sender's identical clientMsgId is a different message.
    const reply = await send(bob.token, { ...body, recvId: alice.id });
    expect(reply.body.data.seq).toBe(2);
  });

  it("stores text as sent, without HTML processing", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    await sendText(alice, bob.id, "<b>hi</b> & 'bye'");
    expect((await chatlog(bob, { conversationId }))[0].content).toBe("<b>hi</b> & 'bye'");
  });

  it("accepts image, file and custom messages", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const bodies = [
      { mType: 1, content: "https://cdn.example/p.png" },
      { mType: 2, content: "https://cdn.example/f.pdf" },
      { mType: 3, content: JSON.stringify({ kind: "card", id: 7 }) },
    ];
    for (const msg of bodies) {
      const answer = await send(alice.token, {
        chatType: 2,
        recvId: bob.id,
        msg,
        clientMsgId: crypto.randomUUID(),
      });
      expect(answer.status).toBe(200);
    }
    expect((await chatlog(bob, { conversationId })).map((m) => m.mType)).toEqual([1, 2, 3]);
  });

  it("refuses private chat without a friendship with 403 + 100006", async () => {
    const alice = await quickUser();
    const stranger = await quickUser();
    const answer = await send(alice.token, {
      chatType: 2,
      recvId: stranger.id,
      msg: { mType: 0, content: "hi" },
      clientMsgId: "x",
    });
    expect(answer.status).toBe(403);
    expect(answer.body.code).toBe(100006);
    expect(await conversationOf(stranger, pairKey(alice.id, stranger.id))).toBeUndefined();
  });

  it("refuses a group send from a non-member with 403 and an unknown group with 404", async () => {
    const owner = await quickUser();
    const outsider = await quickUser();
    const group = await createGroup(owner);
    const msg = { mType: 0, content: "hi" };
    const refused = await send(outsider.token, {
      chatType: 1,
      recvId: group.id,
      msg,
      clientMsgId: "g",
    });
    expect(refused.status).toBe(403);
    const unknown = await send(owner.token, {
      chatType: 1,
      recvId: "a".repeat(32),
      msg,
      clientMsgId: "g",
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe(100005);
  });

  it("refuses content over 16 KiB with 413 + 100009 and stores nothing", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const answer = await send(alice.token, {
      chatType: 2,
      recvId: bob.id,
      msg: { mType: 0, content: "é".repeat(8193) },
      clientMsgId: "big",
    });
    expect(answer.status).toBe(413);
    expect(answer.body.code).toBe(100009);
    expect(answer.body.msg).toContain("16384");
    expect(await chatlog(alice, { conversationId })).toEqual([]);
  });

  it.each([
    ["an unknown mType", { msg: { mType: 4, content: "x" } }, "mType"],
    ["a string mType", { msg: { mType: "0", content: "x" } }, "mType"],
    ["empty content", { msg: { mType: 0, content: "" } }, "content"],
    ["an image that is not a URL", { msg: { mType: 1, content: "javascript:alert(1)" } }, "URL"],
    ["custom content that is not JSON", { msg: { mType: 3, content: "{nope" } }, "JSON"],
    ["chatType 3", { chatType: 3 }, "chatType"],
    ["a missing clientMsgId", { clientMsgId: undefined }, "clientMsgId"],
    ["a 65-character clientMsgId", { clientMsgId: "k".repeat(65) }, "clientMsgId"],
    ["a malformed recvId", { recvId: "bob" }, "recvId"],
    ["a missing msg", { msg: undefined }, "msg"],
  ])("refuses %s with 400 + 100002", async (_label, override, field) => {
    const { alice, bob } = await friendsPair();
    const body = {
      chatType: 2,
      recvId: bob.id,
      msg: { mType: 0, content: "x" },
      clientMsgId: "k",
      ...override,
    };
    const answer = await send(alice.token, body);
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe(100002);
    expect(answer.body.msg).toContain(field);
  });

  it("refuses chatting with yourself", async () => {
    const alice = await quickUser();
    const answer = await send(alice.token, {
      chatType: 2,
      recvId: alice.id,
      msg: { mType: 0, content: "me" },
      clientMsgId: "s",
    });
    expect(answer.status).toBe(400);
  });

  it("answers 401 without a token", async () => {
    const answer = await api("POST", "/v1/im/chat", { body: {} });
    expect(answer.status).toBe(401);
  });
});
