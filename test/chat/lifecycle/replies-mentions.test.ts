/**
 * Replies and mentions (CONTRACT §10): a reply carries a preview of the message it answers; a
 * group message may mention members or (creator and managers) everyone, and the mentioned
 * members' lists count it in `mentionUnread` until they read it.
 */
import { describe, expect, it } from "vitest";
import { api } from "../../helpers/http.ts";
import { chatlog, conversationOf, friendsPair, sendText } from "../../helpers/chat.ts";
import { recall, sendWith } from "../../helpers/lifecycle.ts";
import { createGroupCast } from "../../helpers/social.ts";
import { connect } from "../../helpers/ws.ts";

describe("replies", () => {
  it("carry the answered message's id, seq, sender and its first 100 characters", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const long = "🙂".repeat(60) + "x".repeat(60);
    const quoted = await sendText(alice, bob.id, long);
    const { socket } = await connect(bob.token);
    const reply = await socket.request("conversation.chat", {
      chatType: 2,
      recvId: alice.id,
      msg: { mType: 0, content: "noted" },
      replyTo: quoted.msgId,
    });
    expect(reply.frameType, JSON.stringify(reply)).toBe(2);
    const [, stored] = await chatlog(alice, { conversationId });
    expect(stored.replyTo).toEqual({
      msgId: quoted.msgId,
      seq: 1,
      sendId: alice.id,
      preview: "🙂".repeat(60) + "x".repeat(40),
    });
  });

  it("refuses a reply to an unknown message, another conversation's, or a recalled one (400)", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const elsewhere = await friendsPair();
    const theirs = await sendText(elsewhere.alice, elsewhere.bob.id, "not yours");
    const gone = await sendText(alice, bob.id, "gone");
    await recall(alice, conversationId, gone.msgId);
    for (const replyTo of ["a".repeat(32), theirs.msgId, gone.msgId]) {
      const answer = await sendWith(bob, alice.id, "re", { replyTo });
      expect([answer.status, answer.body.code], replyTo).toEqual([400, 100002]);
      expect(answer.body.msg).toMatch(/^replyTo: /);
    }
    expect(await chatlog(alice, { conversationId })).toHaveLength(1);
  });
});

describe("mentions", () => {
  it("count into mentionUnread of the mentioned members until they read", async () => {
    const { groupId, creator, manager, member } = await createGroupCast();
    const hello = await sendWith(member, groupId, "hi @manager", { mentions: [manager.id] }, 1);
    expect(hello.status, JSON.stringify(hello.body)).toBe(200);
    await sendText(member, groupId, "no mention", 1);
    await expect.poll(() => conversationOf(manager, groupId)).toMatchObject({
      unread: 2,
      mentionUnread: 1,
    });
    expect(await conversationOf(creator, groupId)).toMatchObject({ unread: 2, mentionUnread: 0 });
    expect(await conversationOf(member, groupId)).toMatchObject({ mentionUnread: 0 });
    const log = await chatlog(manager, { conversationId: groupId });
    expect(log.map((m) => m.mentions)).toEqual([[manager.id], []]);

    const read = await api("PUT", "/v1/im/conversation", {
      token: manager.token,
      body: { conversationList: { [groupId]: { read: hello.body.data.seq } } },
    });
    expect(read.status).toBe(200);
    expect(await conversationOf(manager, groupId)).toMatchObject({ unread: 1, mentionUnread: 0 });
  });

  it("drop out of mentionUnread when the message is recalled", async () => {
    const { groupId, manager, member } = await createGroupCast();
    const sent = await sendWith(member, groupId, "@manager look", { mentions: [manager.id] }, 1);
    await expect.poll(() => conversationOf(manager, groupId)).toMatchObject({ mentionUnread: 1 });
    expect((await recall(member, groupId, sent.body.data.msgId)).status).toBe(200);
    await expect.poll(() => conversationOf(manager, groupId)).toMatchObject({
      mentionUnread: 0,
      unread: 1,
    });
  });

  it("refuse a non-member (400), too many (400), and in single chats (400)", async () => {
    const { groupId, creator, member, outsider } = await createGroupCast();
    const stranger = await sendWith(member, groupId, "hey", { mentions: [outsider.id] }, 1);
    expect([stranger.status, stranger.body.code]).toEqual([400, 100002]);
    expect(stranger.body.msg).toContain(outsider.id);
    const many = Array.from({ length: 51 }, () => crypto.randomUUID().replaceAll("-", ""));
    const tooMany = await sendWith(member, groupId, "all of you", { mentions: many }, 1);
    expect([tooMany.status, tooMany.body.code]).toEqual([400, 100002]);
    const mixed = await sendWith(creator, groupId, "x", { mentions: ["all", member.id] }, 1);
    expect([mixed.status, mixed.body.code]).toEqual([400, 100002]);

    const { alice, bob, conversationId } = await friendsPair();
    const single = await sendWith(alice, bob.id, "hey", { mentions: [bob.id] });
    expect([single.status, single.body.code]).toEqual([400, 100002]);
    expect(await chatlog(alice, { conversationId })).toEqual([]);
    expect(await chatlog(member, { conversationId: groupId })).toEqual([]);
  });

  it('let only the creator and managers mention "all" (403 for a member)', async () => {
    const { groupId, creator, manager, member } = await createGroupCast();
    const byMember = await sendWith(member, groupId, "@all", { mentions: ["all"] }, 1);
    expect([byMember.status, byMember.body.code]).toEqual([403, 100006]);
    const byCreator = await sendWith(creator, groupId, "@all meeting", { mentions: ["all"] }, 1);
    expect(byCreator.status, JSON.stringify(byCreator.body)).toBe(200);
    for (const user of [manager, member]) {
      await expect.poll(() => conversationOf(user, groupId)).toMatchObject({ mentionUnread: 1 });
    }
    expect(await conversationOf(creator, groupId)).toMatchObject({ mentionUnread: 0 });
    const { ready } = await connect(member.token);
    expect(ready.data.conversations[groupId]).toMatchObject({ mentionUnread: 1 });
  });
});
