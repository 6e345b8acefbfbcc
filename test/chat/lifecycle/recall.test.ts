/**
 * Recall (CONTRACT §10): who may, within what time, what every surface shows afterwards, and
 * that every member socket gets the `recall` push once, in order with the other pushes.
 */
import { describe, expect, it } from "vitest";
import { api } from "../../helpers/http.ts";
import { chatlog, conversationOf, friendsPair, isPush, sendText } from "../../helpers/chat.ts";
import {
  ageMessage,
  changesOf,
  isConversationPush,
  isRecall,
  recall,
  sendWith,
} from "../../helpers/lifecycle.ts";
import { createGroupCast } from "../../helpers/social.ts";
import { connect } from "../../helpers/ws.ts";

describe("recall in a single chat", () => {
  it("clears the message everywhere, keeps its seq, and pushes recall once to every socket", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const bobPhone = await connect(bob.token, { deviceId: "phone" });
    const aliceTablet = await connect(alice.token, { deviceId: "tablet" });
    const first = await sendText(alice, bob.id, "oops");
    const second = await sendText(alice, bob.id, "keep this");
    for (const socket of [bobPhone.socket, aliceTablet.socket]) {
      expect((await socket.next(isPush)).data.seq).toBe(1);
      expect((await socket.next(isPush)).data.seq).toBe(2);
    }

    const answer = await recall(alice, conversationId, first.msgId);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const recalled = {
      conversationId,
      msgId: first.msgId,
      seq: 1,
      recallBy: alice.id,
      changeSeq: 1,
    };
    expect(answer.body.data).toEqual(recalled);
    for (const socket of [bobPhone.socket, aliceTablet.socket]) {
      const push = await socket.next(isRecall);
      expect(push).toEqual({ frameType: 0, method: "recall", data: recalled });
    }

    const log = await chatlog(bob, { conversationId });
    expect(log.map((m) => [m.seq, m.status, m.content])).toEqual([[1, 1, ""], [2, 0, "keep this"]]);
    // A repeat answers as the first did, changes nothing and pushes nothing.
    const again = await recall(alice, conversationId, first.msgId);
    expect(again.body.data).toEqual(recalled);
    expect((await changesOf(bob, conversationId)).changeSeq).toBe(1);
    expect(second.seq).toBe(2);
    await bobPhone.socket.request("user.online", {});
    expect(bobPhone.socket.unread().filter(isRecall)).toEqual([]);
  });

  it("shows the recalled state as the list's lastMsg when the last message is recalled", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const sent = await sendText(alice, bob.id, "secret");
    await expect.poll(() => conversationOf(bob, conversationId)).toMatchObject({ seq: 1 });
    expect((await recall(alice, conversationId, sent.msgId)).status).toBe(200);
    for (const user of [alice, bob]) {
      await expect.poll(() => conversationOf(user, conversationId)).toMatchObject({
        changeSeq: 1,
        lastMsg: { msgId: sent.msgId, status: 1, content: "" },
      });
    }
    const { ready } = await connect(bob.token);
    expect(ready.data.conversations[conversationId]).toMatchObject({
      changeSeq: 1,
      lastMsg: { status: 1, content: "" },
    });
  });

  it("refuses the other party (403), a late sender (403), an unknown message (404)", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const sent = await sendText(alice, bob.id, "mine");
    const byBob = await recall(bob, conversationId, sent.msgId);
    expect(byBob.status).toBe(403);
    expect(byBob.body.code).toBe(100006);

    await ageMessage(conversationId, sent.msgId, 2 * 60 * 1000 + 1);
    const late = await recall(alice, conversationId, sent.msgId);
    expect(late.status).toBe(403);
    expect(late.body.msg).toMatch(/2 minutes/);

    const unknown = await recall(alice, conversationId, "0".repeat(32));
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe(100005);
    const malformed = await recall(alice, conversationId, "not an id");
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe(100002);

    const log = await chatlog(bob, { conversationId });
    expect(log[0]).toMatchObject({ status: 0, content: "mine" });
    expect((await changesOf(alice, conversationId)).list).toEqual([]);
  });

  it("refuses someone outside the conversation (403) and changes nothing", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const { outsider } = await createGroupCast();
    const sent = await sendText(alice, bob.id, "ours");
    const answer = await recall(outsider, conversationId, sent.msgId);
    expect(answer.status).toBe(403);
    expect((await chatlog(alice, { conversationId }))[0].status).toBe(0);
  });

  it("blanks the preview of replies that quote the recalled message", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const quoted = await sendText(alice, bob.id, "what I regret");
    const reply = await sendWith(bob, alice.id, "I saw that", { replyTo: quoted.msgId });
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    expect((await chatlog(alice, { conversationId }))[1].replyTo).toEqual({
      msgId: quoted.msgId,
      seq: 1,
      sendId: alice.id,
      preview: "what I regret",
    });
    expect((await recall(alice, conversationId, quoted.msgId)).status).toBe(200);
    expect((await chatlog(alice, { conversationId }))[1].replyTo.preview).toBe("");
    await expect.poll(() => conversationOf(bob, conversationId)).toMatchObject({
      lastMsg: { seq: 2, replyTo: { preview: "" } },
    });
  });

  it("arrives after the message it recalls and before what was sent later", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const { socket } = await connect(bob.token);
    const first = await sendText(alice, bob.id, "one");
    await recall(alice, conversationId, first.msgId);
    await sendText(alice, bob.id, "two");
    const order: string[] = [];
    for (let i = 0; i < 3; i++) {
      const frame = await socket.next(isConversationPush);
      order.push(`${frame.method}:${frame.data.seq}`);
    }
    expect(order).toEqual(["push:1", "recall:1", "push:2"]);
  });
});

describe("recall in a group", () => {
  it("lets the creator and managers recall anyone's message at any time, not members", async () => {
    const { groupId, creator, manager, member } = await createGroupCast();
    const byMember = await sendText(member, groupId, "member says", 1);
    const byCreator = await sendText(creator, groupId, "creator says", 1);
    await ageMessage(groupId, byMember.msgId, 60 * 60 * 1000);

    const memberTries = await recall(member, groupId, byCreator.msgId);
    expect(memberTries.status).toBe(403);
    expect(memberTries.body.msg).toMatch(/only the sender/);

    const byManager = await recall(manager, groupId, byMember.msgId);
    expect(byManager.status, JSON.stringify(byManager.body)).toBe(200);
    expect(byManager.body.data).toMatchObject({ recallBy: manager.id, changeSeq: 1 });
    const creatorRecalls = await recall(creator, groupId, byCreator.msgId);
    expect(creatorRecalls.body.data).toMatchObject({ recallBy: creator.id, changeSeq: 2 });
    // The member whose message it was may ask again and gets the first answer.
    const memberAgain = await recall(member, groupId, byMember.msgId);
    expect(memberAgain.body.data).toMatchObject({ recallBy: manager.id, changeSeq: 1 });

    const log = await chatlog(member, { conversationId: groupId });
    expect(log.filter((m) => m.seq > 0).map((m) => m.status)).toEqual([1, 1]);
  });

  it("refuses a member who has left, for their own message too", async () => {
    const { groupId, creator, member } = await createGroupCast();
    const sent = await sendText(member, groupId, "bye all", 1);
    const quit = await api("POST", "/v1/social/group/quit", {
      token: member.token,
      body: { groupId },
    });
    expect(quit.status).toBe(200);
    const answer = await recall(member, groupId, sent.msgId);
    expect(answer.status).toBe(403);
    expect((await chatlog(creator, { conversationId: groupId })).at(-1)?.status).toBe(0);
  });
});
