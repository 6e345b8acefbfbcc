import { describe, expect, it } from "vitest";
import { conversationOf, friendsPair, pairKey, sendText } from "../helpers/chat.ts";
import { api } from "../helpers/http.ts";
import { addMember, createGroup, quickUser } from "../helpers/social.ts";
import { connect } from "../helpers/ws.ts";

const markRead = (token: string, conversationId: string, read: number) =>
  api("PUT", "/v1/im/conversation", {
    token,
    body: { conversationList: { [conversationId]: { read } } },
  });

describe("GET /v1/im/conversation", () => {
  it("lists a conversation from its first message with the last message", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    expect(await conversationOf(bob, conversationId)).toBeUndefined();
    await sendText(alice, bob.id, "one");
    const ack = await sendText(alice, bob.id, "two");
    // Counting happens when the fan-out reaches Bob's session, right after the ack.
    await expect.poll(() => conversationOf(bob, conversationId)).toMatchObject({ seq: 2 });
    const answer = await api("GET", "/v1/im/conversation", { token: bob.token });
    expect(answer.body.data.userId).toBe(bob.id);
    expect(answer.body.data.conversationList[conversationId]).toEqual({
      conversationId,
      chatType: 2,
      targetId: alice.id,
      isShow: true,
      muted: false,
      pinned: false,
      seq: 2,
      read: 0,
      total: 2,
      unread: 2,
      mentionUnread: 0,
      changeSeq: 0,
      lastMsg: expect.objectContaining({ msgId: ack.msgId, content: "two", seq: 2 }),
    });
  });

  it("lists a group conversation from joining, before any message", async () => {
    const owner = await quickUser();
    const member = await quickUser();
    const group = await createGroup(owner);
    await addMember(group.id, owner, member);
    await expect.poll(() => conversationOf(member, group.id)).toMatchObject({
      chatType: 1,
      targetId: group.id,
      seq: 0,
      unread: 0,
    });
  });
});

describe("unread", () => {
  it("counts only other people's messages after your read, and your send reads up to it", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    await sendText(alice, bob.id, "a1");
    await sendText(alice, bob.id, "a2");
    await expect.poll(() => conversationOf(bob, conversationId)).toMatchObject({
      unread: 2,
      read: 0,
    });
    await sendText(bob, alice.id, "b1");
    await expect.poll(() => conversationOf(bob, conversationId)).toMatchObject({
      seq: 3,
      read: 3,
      unread: 0,
    });
    await expect.poll(() => conversationOf(alice, conversationId)).toMatchObject({
      seq: 3,
      read: 2,
      unread: 1,
    });
  });

  it("marks read up to a seq and never moves back", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    for (const word of ["1", "2", "3", "4"]) await sendText(alice, bob.id, word);
    await expect.poll(() => conversationOf(bob, conversationId)).toMatchObject({ seq: 4 });
    expect((await markRead(bob.token, conversationId, 3)).status).toBe(200);
    expect(await conversationOf(bob, conversationId)).toMatchObject({ read: 3, unread: 1 });
    await markRead(bob.token, conversationId, 1);
    expect(await conversationOf(bob, conversationId)).toMatchObject({ read: 3, unread: 1 });
    // Past the end is clamped to the last message.
    await markRead(bob.token, conversationId, 99);
    expect(await conversationOf(bob, conversationId)).toMatchObject({ read: 4, unread: 0 });
  });

  it("is the same on every device and after reconnecting", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const { socket: phone } = await connect(bob.token, { deviceId: "phone" });
    await sendText(alice, bob.id, "m1");
    await sendText(alice, bob.id, "m2");
    await sendText(alice, bob.id, "m3");
    for (const seq of [1, 2, 3]) {
      expect((await phone.next((f) => f.method === "push")).data.seq).toBe(seq);
    }
    const marked = await phone.request("conversation.markChat", { conversationId, seq: 2 });
    expect(marked.data).toEqual({ conversationId, read: 2 });
    const { ready } = await connect(bob.token, { deviceId: "laptop" });
    const counters = {
      seq: 3,
      read: 2,
      unread: 1,
      mentionUnread: 0,
      changeSeq: 0,
      muted: false,
      pinned: false,
      lastMsg: expect.objectContaining({ seq: 3, content: "m3" }),
    };
    expect(ready.data.conversations[conversationId]).toEqual(counters);
    phone.close();
    const { ready: again } = await connect(bob.token, { deviceId: "phone" });
    expect(again.data.conversations[conversationId]).toEqual(counters);
  });

  it("tells the other side of a single chat with a markChat push", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const { socket: aliceSocket } = await connect(alice.token);
    await sendText(alice, bob.id, "read me");
    const { socket: bobSocket } = await connect(bob.token);
    await bobSocket.request("conversation.markChat", { conversationId, seq: 1 });
    const push = await aliceSocket.next((f) => f.method === "markChat");
    expect(push.data).toEqual({ conversationId, userId: bob.id, read: 1 });
  });

  it("refuses marking a conversation you are not part of", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    await sendText(alice, bob.id, "private");
    const eve = await quickUser();
    const answer = await markRead(eve.token, conversationId, 1);
    expect(answer.status).toBe(403);
    const { socket } = await connect(eve.token);
    const error = await socket.request("conversation.markChat", { conversationId, seq: 1 });
    expect(error).toMatchObject({ frameType: 9, data: { code: 100006 } });
  });
});

describe("PUT /v1/im/conversation", () => {
  it("hides and shows a conversation; a new message shows it again", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    await sendText(alice, bob.id, "x");
    await expect.poll(() => conversationOf(bob, conversationId)).toBeDefined();
    const hide = await api("PUT", "/v1/im/conversation", {
      token: bob.token,
      body: { conversationList: { [conversationId]: { isShow: false } } },
    });
    expect(hide.status).toBe(200);
    expect((await conversationOf(bob, conversationId)).isShow).toBe(false);
    await sendText(alice, bob.id, "y");
    await expect.poll(() => conversationOf(bob, conversationId)).toMatchObject({ isShow: true });
  });

  it.each([
    ["a malformed conversation id", { "not-an-id": { read: 1 } }, 400],
    ["a negative read", { PLACEHOLDER: { read: -1 } }, 400],
    ["isShow as a string", { PLACEHOLDER: { isShow: "no" } }, 400],
    ["isShow on a conversation not in the list", { PLACEHOLDER: { isShow: true } }, 404],
  ])("refuses %s", async (_label, list, status) => {
    const alice = await quickUser();
    const bob = await quickUser();
    const conversationId = pairKey(alice.id, bob.id);
    const conversationList = Object.fromEntries(
      Object.entries(list).map((
        [key, value],
      ) => [key === "PLACEHOLDER" ? conversationId : key, value]),
    );
    const answer = await api("PUT", "/v1/im/conversation", {
      token: alice.token,
      body: { conversationList },
    });
    expect(answer.status).toBe(status);
  });
});

describe("POST /v1/im/setup/conversation", () => {
  it("puts a friend's conversation in the list before any message", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const answer = await api("POST", "/v1/im/setup/conversation", {
      token: alice.token,
      body: { recvId: bob.id, chatType: 2 },
    });
    expect(answer.status).toBe(200);
    expect(answer.body.data).toMatchObject({
      conversationId,
      targetId: bob.id,
      seq: 0,
      unread: 0,
      isShow: true,
    });
    expect(await conversationOf(alice, conversationId)).toBeDefined();
    expect(await conversationOf(bob, conversationId)).toBeUndefined();
  });

  it("refuses a stranger (403) and a group you are not in (403)", async () => {
    const alice = await quickUser();
    const stranger = await quickUser();
    const single = await api("POST", "/v1/im/setup/conversation", {
      token: alice.token,
      body: { recvId: stranger.id, chatType: 2 },
    });
    expect(single.status).toBe(403);
    const group = await createGroup(stranger);
    const groupAnswer = await api("POST", "/v1/im/setup/conversation", {
      token: alice.token,
      body: { recvId: group.id, chatType: 1 },
    });
    expect(groupAnswer.status).toBe(403);
  });
});
