/**
 * Edit (CONTRACT §10): the sender's own text, within 24 hours, not recalled; the `edit` push
 * carries the whole message; the list and chatlog show the new text.
 */
import { describe, expect, it } from "vitest";
import { api } from "../../helpers/http.ts";
import { chatlog, conversationOf, friendsPair, isPush, sendText } from "../../helpers/chat.ts";
import { ageMessage, edit, isEdit, recall, sendWith } from "../../helpers/lifecycle.ts";
import { connect } from "../../helpers/ws.ts";

describe("edit", () => {
  it("replaces the text, sets editTime and pushes the whole message to every socket", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const bobPhone = await connect(bob.token);
    const sent = await sendText(alice, bob.id, "teh plan");
    const pushed = (await bobPhone.socket.next(isPush)).data;

    const answer = await edit(alice, conversationId, sent.msgId, "the plan");
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const edited = answer.body.data;
    expect(edited).toEqual({
      ...pushed,
      content: "the plan",
      editTime: expect.any(Number),
      changeSeq: 1,
    });
    expect(edited.editTime).toBeGreaterThanOrEqual(sent.sendTime);
    expect(await bobPhone.socket.next(isEdit)).toEqual({
      frameType: 0,
      method: "edit",
      data: edited,
    });
    const { changeSeq: _changeSeq, ...stored } = edited;
    // History is read for one reader: it carries the reactions (CONTRACT §13), a push does not.
    expect(await chatlog(bob, { conversationId })).toEqual([{ ...stored, reactions: [] }]);
    await expect.poll(() => conversationOf(bob, conversationId)).toMatchObject({
      changeSeq: 1,
      lastMsg: { content: "the plan", editTime: edited.editTime },
    });
  });

  it("answers the same text again as it is, without a second change", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const sent = await sendText(alice, bob.id, "draft");
    const first = await edit(alice, conversationId, sent.msgId, "final");
    const again = await edit(alice, conversationId, sent.msgId, "final");
    expect(again.body.data).toEqual(first.body.data);
    const later = await edit(alice, conversationId, sent.msgId, "final, really");
    expect(later.body.data.changeSeq).toBe(2);
  });

  it("answers a resent edit as the message is now, even after a later edit (by request id)", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const sent = await sendText(alice, bob.id, "v1");
    const editWithId = (content: string, clientEditId: string) =>
      api("PUT", "/v1/im/chat", {
        token: alice.token,
        body: { conversationId, msgId: sent.msgId, content, clientEditId },
      });
    expect((await editWithId("v2", "edit-a")).body.data.changeSeq).toBe(1);
    expect((await editWithId("v3", "edit-b")).body.data.changeSeq).toBe(2);
    // An outbox resending edit-a after its ack was lost must not put "v2" back.
    const resent = await editWithId("v2", "edit-a");
    expect(resent.body.data).toMatchObject({ content: "v3", changeSeq: 2 });

    // Over the socket the frame id is the request id.
    const { socket } = await connect(alice.token);
    const frame = { conversationId, msgId: sent.msgId, content: "v4" };
    const first = await socket.request("conversation.edit", frame, "frame-c");
    expect(first.data).toMatchObject({ content: "v4", changeSeq: 3 });
    await editWithId("v5", "edit-d");
    const again = await socket.request("conversation.edit", frame, "frame-c");
    expect(again.data).toMatchObject({ content: "v5", changeSeq: 4 });
    expect((await chatlog(bob, { conversationId }))[0].content).toBe("v5");
  });

  it("updates the preview of replies quoting it", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const quoted = await sendText(alice, bob.id, "meet at 5");
    await sendWith(bob, alice.id, "ok", { replyTo: quoted.msgId });
    await edit(alice, conversationId, quoted.msgId, "meet at 6");
    expect((await chatlog(bob, { conversationId }))[1].replyTo.preview).toBe("meet at 6");
  });

  it("refuses others (403), late edits (403), non-text (400), recalled messages (409)", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const sent = await sendText(alice, bob.id, "hello");
    const byBob = await edit(bob, conversationId, sent.msgId, "hijacked");
    expect([byBob.status, byBob.body.code]).toEqual([403, 100006]);

    const image = await api("POST", "/v1/im/chat", {
      token: alice.token,
      body: {
        chatType: 2,
        recvId: bob.id,
        msg: { mType: 1, content: "https://img.test/a.png" },
        clientMsgId: crypto.randomUUID(),
      },
    });
    const notText = await edit(alice, conversationId, image.body.data.msgId, "text now");
    expect([notText.status, notText.body.code]).toEqual([400, 100002]);

    const empty = await edit(alice, conversationId, sent.msgId, "");
    expect([empty.status, empty.body.code]).toEqual([400, 100002]);
    const huge = await edit(alice, conversationId, sent.msgId, "x".repeat(16 * 1024 + 1));
    expect([huge.status, huge.body.code]).toEqual([413, 100009]);

    const old = await sendText(alice, bob.id, "yesterday");
    await ageMessage(conversationId, old.msgId, 24 * 60 * 60 * 1000 + 1);
    const late = await edit(alice, conversationId, old.msgId, "today");
    expect([late.status, late.body.code]).toEqual([403, 100006]);
    expect(late.body.msg).toMatch(/24 hours/);

    await recall(alice, conversationId, sent.msgId);
    const recalled = await edit(alice, conversationId, sent.msgId, "back");
    expect([recalled.status, recalled.body.code]).toEqual([409, 100007]);

    const log = await chatlog(bob, { conversationId });
    expect(log.map((m) => [m.content, m.editTime])).toEqual([
      ["", 0],
      ["https://img.test/a.png", 0],
      ["yesterday", 0],
    ]);
  });

  it("refuses a sender who may no longer send here", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const sent = await sendText(alice, bob.id, "while friends");
    const unfriended = await api("DELETE", "/v1/social/friend", {
      token: bob.token,
      body: { friendUid: alice.id },
    });
    expect(unfriended.status).toBe(200);
    const answer = await edit(alice, conversationId, sent.msgId, "after");
    expect(answer.status).toBe(403);
    expect((await chatlog(bob, { conversationId }))[0].content).toBe("while friends");
  });
});
