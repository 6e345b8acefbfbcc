/**
 * Pins (CONTRACT §13): either side of a single chat, the creator and managers of a group; at
 * most 50 per conversation (409); the list newest pin first; the `pin` push is a change; a
 * recalled message is unpinned.
 */
import { describe, expect, it } from "vitest";
import { api, expectRefusal } from "../../helpers/http.ts";
import { conversationOf, friendsPair, isPush, sendText } from "../../helpers/chat.ts";
import { changesOf, recall } from "../../helpers/lifecycle.ts";
import { isPin, isReaction, pin, pinsOf, react } from "../../helpers/features.ts";
import { createGroupCast } from "../../helpers/social.ts";
import { connect, type Frame } from "../../helpers/ws.ts";
import { storeText } from "../../helpers/direct-send.ts";

describe("pins", () => {
  it("pins for both sides of a single chat, lists newest pin first, pushes a change", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const aliceSocket = await connect(alice.token);
    const first = await sendText(alice, bob.id, "address: 1 Main St");
    const second = await sendText(bob, alice.id, "meet at 7");
    await aliceSocket.socket.next(isPush);
    await aliceSocket.socket.next(isPush);

    const byBob = await pin(bob, conversationId, first.msgId);
    expect(byBob.status, JSON.stringify(byBob.body)).toBe(200);
    const change = {
      conversationId,
      msgId: first.msgId,
      seq: 1,
      pinned: true,
      by: bob.id,
      changeSeq: 1,
    };
    expect(byBob.body.data).toEqual(change);
    expect(await aliceSocket.socket.next(isPin)).toEqual({
      frameType: 0,
      method: "pin",
      data: change,
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect((await pin(alice, conversationId, second.msgId)).status).toBe(200);
    expect((await pinsOf(bob, conversationId)).map((m) => m.content)).toEqual([
      "meet at 7",
      "address: 1 Main St",
    ]);
    // Idempotent: pinning again changes nothing.
    expect((await pin(alice, conversationId, second.msgId)).body.data.changeSeq).toBe(2);
    expect((await changesOf(alice, conversationId)).changeSeq).toBe(2);

    const unpinned = await pin(alice, conversationId, first.msgId, false);
    expect(unpinned.body.data).toMatchObject({ pinned: false, by: alice.id, changeSeq: 3 });
    expect((await pin(alice, conversationId, first.msgId, false)).body.data.changeSeq).toBe(3);
    expect((await pinsOf(alice, conversationId)).map((m) => m.content)).toEqual(["meet at 7"]);
  });

  it("in a group: creator and managers only; strangers 403", async () => {
    const { creator, manager, member, outsider, groupId } = await createGroupCast();
    const sent = await sendText(member, groupId, "rules", 1);
    expectRefusal(await pin(member, groupId, sent.msgId), 403, 100006);
    expectRefusal(await pin(outsider, groupId, sent.msgId), 403, 100006);
    expect((await pin(manager, groupId, sent.msgId)).status).toBe(200);
    expectRefusal(await pin(member, groupId, sent.msgId, false), 403, 100006);
    expect((await pin(creator, groupId, sent.msgId, false)).status).toBe(200);
    const answer = await api("GET", `/v1/im/chat/pins?conversationId=${groupId}`, {
      token: outsider.token,
    });
    expectRefusal(answer, 403, 100006);
  });

  it("holds at most 50 pins (409); unpinning frees a place", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const sent = [];
    for (let i = 0; i < 51; i++) sent.push(await storeText(alice, bob.id, `m${i}`));
    for (let i = 0; i < 50; i++) {
      expect((await pin(alice, conversationId, sent[i]!.msgId)).status).toBe(200);
    }
    expectRefusal(await pin(bob, conversationId, sent[50]!.msgId), 409, 100007);
    expect((await pin(bob, conversationId, sent[0]!.msgId, false)).status).toBe(200);
    expect((await pin(bob, conversationId, sent[50]!.msgId)).status).toBe(200);
    expect((await pinsOf(alice, conversationId)).length).toBe(50);
  });

  it("unpins a recalled message, with a pin push after the recall", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const bobSocket = await connect(bob.token);
    const sent = await sendText(alice, bob.id, "oops");
    await bobSocket.socket.next(isPush);
    await pin(bob, conversationId, sent.msgId);
    expect(await bobSocket.socket.next(isPin)).toMatchObject({ data: { pinned: true } });
    expect((await recall(alice, conversationId, sent.msgId)).status).toBe(200);
    const frames = [
      await bobSocket.socket.next((f) => f.method === "recall" || f.method === "pin"),
    ];
    frames.push(await bobSocket.socket.next((f) => f.method === "recall" || f.method === "pin"));
    expect(frames.map((f) => [f.method, f.data.changeSeq])).toEqual([["recall", 2], ["pin", 3]]);
    expect(frames[1].data).toMatchObject({ pinned: false, by: alice.id });
    expect(await pinsOf(bob, conversationId)).toEqual([]);
    expectRefusal(await pin(bob, conversationId, sent.msgId), 409, 100007);
  });

  it("a former manager may not pin or unpin (403)", async () => {
    const { creator, manager, groupId } = await createGroupCast();
    const sent = await sendText(creator, groupId, "agenda", 1);
    expect((await pin(manager, groupId, sent.msgId)).status).toBe(200);
    const kicked = await api("POST", "/v1/social/group/kick", {
      token: creator.token,
      body: { groupId, userId: manager.id },
    });
    expect(kicked.status).toBe(200);
    expectRefusal(await pin(manager, groupId, sent.msgId, false), 403, 100006);
    // What they may still read: the pin made before they left.
    expect((await pinsOf(manager, groupId)).map((m) => m.content)).toEqual(["agenda"]);
  });

  it("reaches a socket that was away through a sync with changes, in change order", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const sent = await sendText(alice, bob.id, "plan");
    const offline = await connect(bob.token);
    offline.socket.close();
    await react(alice, conversationId, sent.msgId, "👍");
    await pin(alice, conversationId, sent.msgId);
    await react(alice, conversationId, sent.msgId, "👍", false);
    await expect.poll(() => conversationOf(bob, conversationId)).toMatchObject({ changeSeq: 3 });

    const { socket, ready } = await connect(bob.token);
    expect(ready.data.conversations[conversationId]).toMatchObject({ changeSeq: 3 });
    const id = crypto.randomUUID();
    socket.send({
      frameType: 0,
      id,
      method: "conversation.sync",
      data: { conversations: { [conversationId]: 1 }, changes: { [conversationId]: 0 } },
    });
    const frames: Frame[] = [];
    for (;;) {
      const frame = await socket.next((f: Frame) => isPin(f) || isReaction(f) || f.id === id);
      if (frame.id === id) {
        expect(frame.data.changes).toEqual({ [conversationId]: 3 });
        break;
      }
      frames.push(frame);
    }
    // The reaction's latest state (taken back, change 3) and the pin (change 2), in change order.
    expect(frames.map((f) => [f.method, f.data.changeSeq])).toEqual([["pin", 2], ["reaction", 3]]);
    expect(frames[1].data).toMatchObject({ on: false, count: 0 });
  });
});
