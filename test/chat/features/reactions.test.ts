/**
 * Reactions (CONTRACT §13): one emoji grapheme, any member, one of each emoji per user, at most
 * 20 distinct emoji per message, idempotent; `ChatLog.reactions` with `me` for the reader; the
 * `reaction` push travels as a change (change seq) to every member socket.
 */
import { describe, expect, it } from "vitest";
import { api, expectRefusal } from "../../helpers/http.ts";
import { chatlog, friendsPair, isPush, sendText } from "../../helpers/chat.ts";
import { changesOf, recall } from "../../helpers/lifecycle.ts";
import { isReaction, react } from "../../helpers/features.ts";
import { createGroupCast } from "../../helpers/social.ts";
import { connect } from "../../helpers/ws.ts";

describe("reactions", () => {
  it("adds, counts per emoji with `me` for the reader, and pushes a change to every socket", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const bobPhone = await connect(bob.token);
    const aliceTablet = await connect(alice.token);
    const sent = await sendText(alice, bob.id, "lunch?");
    await bobPhone.socket.next(isPush);
    await aliceTablet.socket.next(isPush);

    const byBob = await react(bob, conversationId, sent.msgId, "👍");
    expect(byBob.status, JSON.stringify(byBob.body)).toBe(200);
    const change = {
      conversationId,
      msgId: sent.msgId,
      seq: 1,
      emoji: "👍",
      userId: bob.id,
      on: true,
      count: 1,
      changeSeq: 1,
    };
    expect(byBob.body.data).toEqual(change);
    for (const socket of [bobPhone.socket, aliceTablet.socket]) {
      expect(await socket.next(isReaction)).toEqual({
        frameType: 0,
        method: "reaction",
        data: change,
      });
    }
    expect((await react(alice, conversationId, sent.msgId, "👍")).body.data.count).toBe(2);
    expect((await react(alice, conversationId, sent.msgId, "👨‍👩‍👧")).status).toBe(200);

    const [forBob] = await chatlog(bob, { conversationId });
    expect(forBob.reactions).toEqual([
      { emoji: "👍", count: 2, me: true },
      { emoji: "👨‍👩‍👧", count: 1, me: false },
    ]);
    const [forAlice] = await chatlog(alice, { conversationId });
    expect(forAlice.reactions).toEqual([
      { emoji: "👍", count: 2, me: true },
      { emoji: "👨‍👩‍👧", count: 1, me: true },
    ]);
    // The reaction is a change like an edit: listed by the changes route too.
    const changes = await changesOf(bob, conversationId);
    expect(changes.list.map((c: { method: string }) => c.method)).toEqual([
      "reaction",
      "reaction",
      "reaction",
    ]);
  });

  it("is idempotent both ways: a repeat changes nothing and pushes nothing", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const sent = await sendText(alice, bob.id, "hi");
    const first = await react(bob, conversationId, sent.msgId, "❤️");
    const again = await react(bob, conversationId, sent.msgId, "❤️");
    expect(again.body.data).toEqual(first.body.data);
    expect((await changesOf(bob, conversationId)).changeSeq).toBe(1);

    const off = await react(bob, conversationId, sent.msgId, "❤️", false);
    expect(off.body.data).toMatchObject({ on: false, count: 0, changeSeq: 2 });
    const offAgain = await react(bob, conversationId, sent.msgId, "❤️", false);
    expect(offAgain.body.data).toEqual(off.body.data);
    expect((await changesOf(bob, conversationId)).changeSeq).toBe(2);
    // Taking back what was never there changes nothing either.
    const never = await react(alice, conversationId, sent.msgId, "🎉", false);
    expect(never.body.data).toMatchObject({ on: false, count: 0 });
    expect((await changesOf(bob, conversationId)).changeSeq).toBe(2);
    const [message] = await chatlog(alice, { conversationId });
    expect(message.reactions).toEqual([]);
  });

  it("takes exactly one emoji: text, two emoji, or nothing is a 400", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const sent = await sendText(alice, bob.id, "hi");
    // Marks riding on an emoji would make endless distinct "emoji" (each a stored row).
    const marked = ["☺\u0301", "☺" + "\u0301".repeat(60), "☺\u200D", "©\u034F", "👍\u0300"];
    for (const emoji of ["a", "👍👍", "", "ok👍", "1", "🇫🇷🇩🇪", ...marked]) {
      expectRefusal(await react(bob, conversationId, sent.msgId, emoji), 400, 100002);
    }
    // Flags, keycaps, skin tones and ZWJ sequences are one emoji each.
    for (const emoji of ["🇫🇷", "1️⃣", "👋🏽", "🏳️‍🌈", "☺", "☺️"]) {
      const answer = await react(bob, conversationId, sent.msgId, emoji);
      expect(answer.status, `${emoji}: ${JSON.stringify(answer.body)}`).toBe(200);
    }
  });

  it("allows at most 20 distinct emoji on a message (409), more people on one still count", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const sent = await sendText(alice, bob.id, "vote");
    const emoji = [..."😀😁😂🤣😃😄😅😆😉😊😋😎😍😘🥰😗😙🥲😚🙂"];
    expect(emoji.length).toBe(20);
    for (const each of emoji) {
      expect((await react(bob, conversationId, sent.msgId, each)).status).toBe(200);
    }
    expectRefusal(await react(bob, conversationId, sent.msgId, "🤔"), 409, 100007);
    expectRefusal(await react(alice, conversationId, sent.msgId, "🤔"), 409, 100007);
    // One of the 20 again, by someone else: allowed.
    expect((await react(alice, conversationId, sent.msgId, "😀")).body.data.count).toBe(2);
    // Taking one back frees a place.
    await react(bob, conversationId, sent.msgId, "🙂", false);
    expect((await react(alice, conversationId, sent.msgId, "🤔")).status).toBe(200);
  });

  it("refuses strangers (403), former members (403), unknown and recalled messages", async () => {
    const { creator, member, outsider, groupId } = await createGroupCast();
    const sent = await sendText(creator, groupId, "group news", 1);
    expectRefusal(await react(outsider, groupId, sent.msgId, "👍"), 403, 100006);
    expectRefusal(
      await react(member, groupId, crypto.randomUUID().replaceAll("-", ""), "👍"),
      404,
      100005,
    );
    expect((await react(member, groupId, sent.msgId, "👍")).status).toBe(200);
    const kicked = await api("POST", "/v1/social/group/kick", {
      token: creator.token,
      body: { groupId, userId: member.id },
    });
    expect(kicked.status).toBe(200);
    // A former member may still read the message, but not react to it or take a reaction back.
    expectRefusal(await react(member, groupId, sent.msgId, "🎉"), 403, 100006);
    expectRefusal(await react(member, groupId, sent.msgId, "👍", false), 403, 100006);

    const { alice, bob, conversationId } = await friendsPair();
    const single = await sendText(alice, bob.id, "soon gone");
    await react(bob, conversationId, single.msgId, "👍");
    expect((await recall(alice, conversationId, single.msgId)).status).toBe(200);
    // A recalled message keeps no reactions and takes none.
    expectRefusal(await react(bob, conversationId, single.msgId, "😮"), 409, 100007);
    const [recalled] = await chatlog(bob, { conversationId });
    expect(recalled.reactions).toEqual([]);
  });

  it("works over the socket as conversation.react, refusing a bad emoji with an error frame", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const sent = await sendText(alice, bob.id, "socket");
    const { socket } = await connect(bob.token);
    const bad = await socket.request("conversation.react", {
      conversationId,
      msgId: sent.msgId,
      emoji: "no",
      on: true,
    });
    expect(bad).toMatchObject({ frameType: 9, data: { code: 100002 } });
    const on = await socket.request("conversation.react", {
      conversationId,
      msgId: sent.msgId,
      emoji: "🎉",
      on: true,
    });
    expect(on).toMatchObject({ frameType: 2, data: { emoji: "🎉", on: true, count: 1 } });
    const off = await socket.request("conversation.react", {
      conversationId,
      msgId: sent.msgId,
      emoji: "🎉",
      on: false,
    });
    expect(off.data).toMatchObject({ on: false, count: 0, changeSeq: on.data.changeSeq + 1 });
    // Both changes are pushed to the socket too, in order.
    expect((await socket.next(isReaction)).data.on).toBe(true);
    expect((await socket.next(isReaction)).data.on).toBe(false);
  });
});
