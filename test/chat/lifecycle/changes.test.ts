/**
 * How a client stays consistent about recalled and edited messages across reconnects
 * (docs/lifecycle.md): each conversation numbers its recalls and edits; session.ready
 * says where the user's list stands; `conversation.sync` with `changes` (or GET
 * /v1/im/chatlog/changes) answers every change after the client's last one, as current state.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { api } from "../../helpers/http.ts";
import { conversationOf, friendsPair, isPush, sendText } from "../../helpers/chat.ts";
import {
  changesOf,
  edit,
  holdSyncAnswers,
  isConversationPush,
  isEdit,
  isRecall,
  recall,
} from "../../helpers/lifecycle.ts";
import { connect, type Frame } from "../../helpers/ws.ts";

// A test that fails while a sync answer is held must not leave later syncs held.
afterEach(() => {
  vi.restoreAllMocks();
});

/** Waits until `user`'s list has the conversation at `seq` and `changeSeq` (deliveries trail acks). */
async function listed(
  user: Parameters<typeof conversationOf>[0],
  conversationId: string,
  seq: number,
  changeSeq: number,
) {
  await expect.poll(() => conversationOf(user, conversationId)).toMatchObject({ seq, changeSeq });
}

describe("a member offline while messages change", () => {
  it("learns the changes after reconnecting: ready's changeSeq, then sync with changes", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const one = await sendText(alice, bob.id, "one");
    const two = await sendText(alice, bob.id, "two");
    // Bob's client has both messages and change seq 0, and goes offline.
    const offline = await connect(bob.token);
    offline.socket.close();

    await edit(alice, conversationId, one.msgId, "one, edited");
    await recall(alice, conversationId, two.msgId);
    await expect.poll(() => conversationOf(bob, conversationId)).toMatchObject({ changeSeq: 2 });

    const { socket, ready } = await connect(bob.token);
    expect(ready.data.conversations[conversationId]).toMatchObject({ seq: 2, changeSeq: 2 });
    const id = crypto.randomUUID();
    socket.send({
      frameType: 0,
      id,
      method: "conversation.sync",
      data: { conversations: { [conversationId]: 2 }, changes: { [conversationId]: 0 } },
    });
    const frames: Frame[] = [];
    for (;;) {
      const frame = await socket.next((f: Frame) => isConversationPush(f) || f.id === id);
      if (frame.id === id) {
        expect(frame.data).toEqual({
          conversations: { [conversationId]: 2 },
          changes: { [conversationId]: 2 },
        });
        break;
      }
      frames.push(frame);
    }
    expect(frames.map((f) => [f.method, f.data.seq, f.data.changeSeq])).toEqual([
      ["edit", 1, 1],
      ["recall", 2, 2],
    ]);
    expect(frames[0].data.content).toBe("one, edited");
  });

  it("is answered the same over HTTP, paged by count", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const sent = await sendText(alice, bob.id, "v1");
    await edit(alice, conversationId, sent.msgId, "v2");
    await edit(alice, conversationId, sent.msgId, "v3");
    const other = await sendText(alice, bob.id, "gone soon");
    await recall(alice, conversationId, other.msgId);

    // One message edited twice is one entry, in its latest state and change seq.
    const all = await changesOf(bob, conversationId);
    expect(all.changeSeq).toBe(3);
    expect(all.list.map((c: Frame) => [c.method, c.data.seq, c.data.changeSeq])).toEqual([
      ["edit", 1, 2],
      ["recall", 2, 3],
    ]);
    expect(all.list[0].data.content).toBe("v3");

    const query = new URLSearchParams({ conversationId, afterChangeSeq: "0", count: "1" });
    const page = await api("GET", `/v1/im/chatlog/changes?${query}`, { token: bob.token });
    expect(page.body.data).toMatchObject({ changeSeq: 2, list: [{ method: "edit" }] });
    expect((await changesOf(bob, conversationId, 2)).list.map((c: Frame) => c.method))
      .toEqual(["recall"]);
    expect(await changesOf(bob, conversationId, 3)).toEqual({ list: [], changeSeq: 3 });
  });

  it("refuses a stranger's change query and answers nothing for a silent conversation", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const { alice: stranger } = await friendsPair();
    await sendText(alice, bob.id, "hi");
    const query = new URLSearchParams({ conversationId });
    const refused = await api("GET", `/v1/im/chatlog/changes?${query}`, { token: stranger.token });
    expect([refused.status, refused.body.code]).toEqual([403, 100006]);
    const quiet = await friendsPair();
    expect(await changesOf(quiet.alice, quiet.conversationId)).toEqual({ list: [], changeSeq: 0 });
  });
});

describe("a recall racing a sync", () => {
  it("reaches the syncing socket after the sync's own pushes, so the last state wins", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const sent = await sendText(alice, bob.id, "racy");
    await listed(bob, conversationId, 1, 0);
    const { socket } = await connect(bob.token);
    const held = holdSyncAnswers();
    const id = crypto.randomUUID();
    socket.send({
      frameType: 0,
      id,
      method: "conversation.sync",
      data: { conversations: { [conversationId]: 0 }, changes: { [conversationId]: 0 } },
    });
    await held.entered();
    // The sync has read the message as it was; the recall lands while it waits.
    expect((await recall(alice, conversationId, sent.msgId)).status).toBe(200);
    await expect.poll(() => conversationOf(bob, conversationId)).toMatchObject({ changeSeq: 1 });
    held.release();
    const frames: Frame[] = [];
    for (;;) {
      const frame = await socket.next((f: Frame) => isConversationPush(f) || f.id === id);
      if (frame.id === id) break;
      frames.push(frame);
    }
    await socket.request("user.online", {});
    frames.push(...socket.unread().filter(isConversationPush));
    expect(frames.map((f) => [f.method, f.data.seq, f.data.content ?? null])).toEqual([
      ["push", 1, "racy"],
      ["recall", 1, null],
    ]);
  });
});

describe("a sync for changes only", () => {
  it("lets the live messages that arrive meanwhile through, after its own pushes", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const first = await sendText(alice, bob.id, "one");
    await edit(alice, conversationId, first.msgId, "one, edited");
    await listed(bob, conversationId, 1, 1);
    const { socket } = await connect(bob.token);
    const held = holdSyncAnswers();
    const id = crypto.randomUUID();
    socket.send({
      frameType: 0,
      id,
      method: "conversation.sync",
      data: { conversations: {}, changes: { [conversationId]: 0 } },
    });
    await held.entered();
    const second = await sendText(alice, bob.id, "two");
    await expect.poll(() => conversationOf(bob, conversationId)).toMatchObject({ seq: 2 });
    held.release();
    const ack = await socket.next((f: Frame) => f.id === id);
    expect(ack.data).toEqual({ conversations: {}, changes: { [conversationId]: 1 } });
    await socket.request("user.online", {});
    const frames = socket.unread().filter(isConversationPush);
    expect(frames.map((f: Frame) => [f.method, f.data.seq])).toEqual([["edit", 1], ["push", 2]]);
    expect(frames[1].data.msgId).toBe(second.msgId);
  });

  it("counts at most 50 conversations across both maps (100008)", async () => {
    const { bob } = await friendsPair();
    const { socket } = await connect(bob.token);
    const ids = Array.from({ length: 26 }, () => crypto.randomUUID().replaceAll("-", ""));
    const record = (part: string[]) => Object.fromEntries(part.map((id) => [id, 0]));
    const answer = await socket.request("conversation.sync", {
      conversations: record(ids),
      changes: record(ids.map((id) => id.split("").reverse().join(""))),
    });
    expect([answer.frameType, answer.data.code]).toEqual([9, 100008]);
  });
});

describe("a change of a message the user deleted for themselves", () => {
  it("still reaches the user's list, whose last message it may be", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const sent = await sendText(alice, bob.id, "regret");
    await expect.poll(() => conversationOf(bob, conversationId)).toMatchObject({ seq: 1 });
    const hidden = await api("DELETE", "/v1/im/chatlog", {
      token: bob.token,
      body: { conversationId, msgIds: [sent.msgId] },
    });
    expect(hidden.status).toBe(200);
    await recall(alice, conversationId, sent.msgId);
    await expect.poll(() => conversationOf(bob, conversationId)).toMatchObject({
      changeSeq: 1,
      lastMsg: { status: 1, content: "" },
    });
    const listed = await changesOf(bob, conversationId);
    expect(listed.list.map((c: Frame) => c.method)).toEqual(["recall"]);
  });
});

describe("a socket that connects after a change", () => {
  it("is pushed only the changes made after it connected (older ones are for sync)", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const first = await sendText(alice, bob.id, "first");
    await edit(alice, conversationId, first.msgId, "first, edited");
    await listed(bob, conversationId, 1, 1);
    const { socket } = await connect(bob.token);
    await edit(alice, conversationId, first.msgId, "first, edited again");
    const push = await socket.next(isEdit);
    expect(push.data).toMatchObject({ changeSeq: 2, content: "first, edited again" });
    await socket.request("user.online", {});
    expect(socket.unread().filter((f: Frame) => isEdit(f) || isRecall(f) || isPush(f)))
      .toEqual([]);
  });
});
