/**
 * ChatSession's recalls and edits against the real Worker (CONTRACT §10): they reach the other
 * side live; one missed while offline, or lost on the way, arrives with the change resync after
 * the next connect; each is handed over once, and an older state never over a newer one.
 */
import { describe, expect, it } from "vitest";
import {
  applyMessageChange,
  type ChatLog,
  type ChatSession,
  type EditedMessage,
  type Recall,
} from "../../shared/client/index.ts";
import { chatlog, conversationOf, friendsPair, sendText } from "../helpers/chat.ts";
import { api, type TestUser } from "../helpers/http.ts";
import { addMember, createGroup, quickUser } from "../helpers/social.ts";
import {
  nextReady,
  received,
  sessionStarter,
  type TappedSocket,
  until,
  waitFor,
} from "../helpers/sdk.ts";

const start = sessionStarter();

/** Collects a session's `recall` and `edit` events, in the order they came. */
function changes(session: ChatSession) {
  const seen: (Recall | EditedMessage)[] = [];
  session.on("recall", (recall) => seen.push(recall));
  session.on("edit", (edited) => seen.push(edited));
  return seen;
}
const describeChange = (change: Recall | EditedMessage) =>
  "content" in change ? `edit ${change.msgId} ${change.content}` : `recall ${change.msgId}`;

/** Edits over HTTP (PUT /v1/im/chat), expecting 200. */
async function editOverHttp(
  user: TestUser,
  conversationId: string,
  msgId: string,
  content: string,
) {
  const answer = await api("PUT", "/v1/im/chat", {
    token: user.token,
    body: { conversationId, msgId, content },
  });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body.data as EditedMessage;
}

/** A group of two: its creator and a member. */
async function groupPair() {
  const owner = await quickUser("Owner");
  const member = await quickUser("Member");
  const group = await createGroup(owner);
  await addMember(group.id, owner, member);
  return { owner, member, group };
}

/** A token getter that `hold()` makes wait until `release()`: meanwhile the session cannot reconnect. */
function gatedToken(token: string) {
  let open = () => {};
  let gate = Promise.resolve();
  return {
    hold() {
      gate = new Promise((resolve) => open = resolve);
    },
    release: () => open(),
    token: async () => {
      await gate;
      return token;
    },
  };
}

describe("ChatSession recall and edit", () => {
  it("sends a recall and an edit that reach the other session, once each", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const aliceSession = start(alice.token);
    const bobSession = start(bob.token);
    const aliceChanges = changes(aliceSession);
    const bobChanges = changes(bobSession);
    await Promise.all([nextReady(aliceSession), nextReady(bobSession)]);
    const first = await sendText(bob, alice.id, "typo");
    const second = await sendText(bob, alice.id, "fine");

    const recall = await bobSession.recall(conversationId, first.msgId);
    expect(recall).toMatchObject({ conversationId, msgId: first.msgId, recallBy: bob.id });
    const edited = await bobSession.edit(conversationId, second.msgId, "fine, edited");
    expect(edited).toMatchObject({ msgId: second.msgId, content: "fine, edited", status: 0 });
    expect(edited.editTime).toBeGreaterThan(0);
    expect(edited.changeSeq).toBeGreaterThan(recall.changeSeq);

    const expected = [`recall ${first.msgId}`, `edit ${second.msgId} fine, edited`];
    await until(() => aliceChanges.length === 2, "the recall and the edit at Alice");
    // Bob's own session hears of each from its ack and from the push: handed over once.
    await until(() => bobChanges.length === 2, "Bob's own recall and edit");
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(aliceChanges.map(describeChange)).toEqual(expected);
    expect(bobChanges.map(describeChange)).toEqual(expected);
    expect(aliceSession.lastChangeSeq(conversationId)).toBe(edited.changeSeq);
  });

  it("keeps a recall and an edit made while offline in its outbox and writes them once back", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const gate = gatedToken(alice.token);
    const session = start(alice.token, { token: gate.token });
    await nextReady(session);
    const first = await sendText(alice, bob.id, "take me back");
    const second = await sendText(alice, bob.id, "fix me");
    await until(() => session.lastSeq(conversationId) === second.seq, "the messages");

    gate.hold();
    session.dropConnection();
    await waitFor(session.on.bind(session, "state"), (state) => state === "reconnecting");
    const recalled = session.recall(conversationId, first.msgId);
    const edited = session.edit(conversationId, second.msgId, "fixed");
    // Nothing reached the server while the socket was away.
    expect((await chatlog(bob, { conversationId })).map((m) => m.status)).toEqual([0, 0]);

    gate.release();
    expect(await recalled).toMatchObject({ msgId: first.msgId, changeSeq: 1 });
    expect(await edited).toMatchObject({ msgId: second.msgId, content: "fixed", changeSeq: 2 });
    const log = await chatlog(bob, { conversationId });
    expect(log.map((m) => [m.status, m.content])).toEqual([[1, ""], [0, "fixed"]]);
  });

  it("resyncs an edit made while the session was offline after it reconnects", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const gate = gatedToken(alice.token);
    const session = start(alice.token, { token: gate.token });
    const seen = changes(session);
    await nextReady(session);
    const sent = await sendText(bob, alice.id, "draft");
    await until(() => session.lastSeq(conversationId) === sent.seq, "the message");
    const before = session.lastChangeSeq(conversationId);

    gate.hold();
    session.dropConnection();
    await waitFor(session.on.bind(session, "state"), (state) => state === "reconnecting");
    await editOverHttp(bob, conversationId, sent.msgId, "first edit");
    const last = await editOverHttp(bob, conversationId, sent.msgId, "final");
    expect(seen).toEqual([]);
    // The edits reach Alice's list within a second (CONTRACT §7.1); session.ready reads the list.
    await expect.poll(() => conversationOf(alice, conversationId)).toMatchObject({
      changeSeq: last.changeSeq,
    });

    const back = nextReady(session);
    gate.release();
    const ready = await back;
    expect(ready.conversations[conversationId]?.changeSeq).toBe(last.changeSeq);
    expect(last.changeSeq).toBeGreaterThan(before ?? 0);
    await until(() => session.lastChangeSeq(conversationId) === last.changeSeq, "the resync");
    // The resync sends the message as it is now: its last state, once.
    expect(seen.map(describeChange)).toEqual([`edit ${sent.msgId} final`]);
  });

  it("gets an edit whose push was lost from the resync after the next connect", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    let lost = 0;
    const session = start(alice.token, {
      tap: (text) => {
        const frame = JSON.parse(text);
        if (frame.method === "edit" && lost === 0) {
          lost += 1;
          return "drop";
        }
        return "deliver";
      },
    });
    const seen = changes(session);
    await nextReady(session);
    const sent = await sendText(bob, alice.id, "before");
    const other = await sendText(bob, alice.id, "to recall");
    await until(() => session.lastSeq(conversationId) === other.seq, "the messages");
    const edited = await editOverHttp(bob, conversationId, sent.msgId, "after");
    const recalled = await api("POST", "/v1/im/chat/recall", {
      token: bob.token,
      body: { conversationId, msgId: other.msgId },
    });
    expect(recalled.status).toBe(200);
    await until(() => seen.length === 1, "the recall after the lost edit");
    expect(lost).toBe(1);
    // The recall is applied, but the cursor stays below the lost edit.
    expect(session.lastChangeSeq(conversationId)).toBe(edited.changeSeq - 1);

    const back = nextReady(session);
    session.dropConnection();
    await back;
    await until(() => seen.length === 2, "the lost edit, from the resync");
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(seen.map(describeChange)).toEqual([
      `recall ${other.msgId}`,
      `edit ${sent.msgId} after`,
    ]);
    expect(session.lastChangeSeq(conversationId)).toBe(recalled.body.data.changeSeq);
  });

  it("never hands over an older edit after a newer one, nor one twice", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const held: { text: string; socket: TappedSocket }[] = [];
    const session = start(alice.token, {
      // The first edit's push is held back and delivered late, after the second.
      tap: (text, socket) => {
        if (JSON.parse(text).method === "edit" && held.length === 0) {
          held.push({ text, socket });
          return "drop";
        }
        return "deliver";
      },
    });
    const seen = changes(session);
    await nextReady(session);
    const sent = await sendText(bob, alice.id, "v0");
    await until(() => session.lastSeq(conversationId) === sent.seq, "the message");
    await editOverHttp(bob, conversationId, sent.msgId, "v1");
    const second = await editOverHttp(bob, conversationId, sent.msgId, "v2");
    await until(() => seen.length === 1, "the second edit");
    const replay = (text: string) =>
      held[0]!.socket.dispatchEvent(Object.assign(new Event("message"), { data: text }));
    replay(held[0]!.text);
    replay(JSON.stringify({ frameType: 0, method: "edit", data: second }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(seen.map(describeChange)).toEqual([`edit ${sent.msgId} v2`]);
    // With the late one in, every change up to the second is accounted for.
    expect(session.lastChangeSeq(conversationId)).toBe(second.changeSeq);
  });

  it("carries replies and mentions; a recall blanks the quote in the app's messages", async () => {
    const { owner, member, group } = await groupPair();
    const ownerSession = start(owner.token);
    const memberSession = start(member.token);
    const memberMessages = received(memberSession);
    let shown: ChatLog[] = [];
    memberSession.on("message", (message) => shown = [...shown, message]);
    memberSession.on(
      "recall",
      (data) => shown = applyMessageChange(shown, { method: "recall", data }),
    );
    await Promise.all([nextReady(ownerSession), nextReady(memberSession)]);

    const question = await ownerSession.send({
      chatType: 1,
      recvId: group.id,
      msg: { mType: 0, content: "Who comes on Saturday?" },
      mentions: [member.id],
    });
    await ownerSession.send({
      chatType: 1,
      recvId: group.id,
      msg: { mType: 0, content: "Please answer" },
      replyTo: question.msgId,
    });
    await until(() => memberMessages.length === 2, "the question and the reply");
    expect(memberMessages[0]?.mentions).toEqual([member.id]);
    expect(memberMessages[1]?.replyTo).toEqual({
      msgId: question.msgId,
      seq: question.seq,
      sendId: owner.id,
      preview: "Who comes on Saturday?",
    });

    await ownerSession.recall(question.conversationId, question.msgId);
    await until(() => shown[0]?.status === 1, "the recall at the member");
    expect(shown.map((m) => [m.content, m.replyTo?.preview ?? null])).toEqual([
      ["", null],
      ["Please answer", ""],
    ]);
  });

  it("passes on a group's new notice and the user's own history deletions", async () => {
    const { owner, member, group } = await groupPair();
    const memberSession = start(member.token);
    const otherDevice = start(member.token, { deviceId: "tablet" });
    await Promise.all([nextReady(memberSession), nextReady(otherDevice)]);

    const notice = waitFor((listener) => memberSession.on("group.notice", listener));
    const updated = await api("PUT", "/v1/social/group", {
      token: owner.token,
      body: { groupId: group.id, notification: "Meet at 10" },
    });
    expect(updated.status).toBe(200);
    expect(await notice).toEqual({
      groupId: group.id,
      notification: "Meet at 10",
      notificationUid: owner.id,
    });

    const sent = await sendText(owner, group.id, "hello", 1);
    const deleted = waitFor((listener) => otherDevice.on("chatlog.deleted", listener));
    const removal = await api("DELETE", "/v1/im/chatlog", {
      token: member.token,
      body: { conversationId: group.id, msgIds: [sent.msgId] },
    });
    expect(removal.status).toBe(200);
    expect(await deleted).toMatchObject({ conversationId: group.id, msgIds: [sent.msgId] });
  });
});
