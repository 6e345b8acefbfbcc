// CONTRACT §9 "No state for strangers": a refused request about a conversation leaves no
// Conversation storage and no list entry; a single chat with a user who does not exist is 404.
import { env, listDurableObjectIds, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { newId } from "../../shared/ids.ts";
import { conversationOf, pairKey, sendText } from "../helpers/chat.ts";
import { api, type TestUser } from "../helpers/http.ts";
import { createGroup, makeFriends, quickUser } from "../helpers/social.ts";
import { connect } from "../helpers/ws.ts";

/**
 * Tables in a Conversation's SQLite storage (the runtime's own `_cf_` tables aside). Looking
 * wakes the object, which is why this counts tables rather than objects: a woken object is
 * listed by listDurableObjectIds even when it never wrote a byte.
 */
async function storedTables(conversationId: string): Promise<number> {
  const stub = env.CONVERSATION.getByName(conversationId);
  return await runInDurableObject(stub, (_instance, state) =>
    state.storage.sql.exec<{ n: number }>(
      "SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\'",
    ).one().n);
}

async function conversationObjects(): Promise<number> {
  return (await listDurableObjectIds(env.CONVERSATION)).length;
}

/** A single-chat id of `user` with someone who has no account. */
function withNobody(user: TestUser): string {
  return pairKey(user.id, newId());
}

const text = (chatType: number, recvId: string) => ({
  chatType,
  recvId,
  msg: { mType: 0, content: "hello?" },
  clientMsgId: crypto.randomUUID(),
});

describe("refused requests leave no Conversation storage and no list entry", () => {
  it("GET /v1/im/chatlog: an unknown group is 404, a single chat with nobody is 404", async () => {
    const me = await quickUser();
    const ids = [newId(), withNobody(me)];
    const objectsBefore = await conversationObjects();
    for (const conversationId of ids) {
      const answer = await api("GET", `/v1/im/chatlog?conversationId=${conversationId}`, {
        token: me.token,
      });
      expect(answer.status, conversationId).toBe(404);
    }
    // Each refusal woke its object (listed from then on, as the runtime lists any object it
    // started), but neither stored anything.
    expect(await conversationObjects()).toBe(objectsBefore + ids.length);
    for (const conversationId of ids) expect(await storedTables(conversationId)).toBe(0);
  });

  it("GET /v1/im/chatlog/readRecords and PUT /v1/im/conversation read: 404, no storage", async () => {
    const me = await quickUser();
    for (const conversationId of [newId(), withNobody(me)]) {
      const records = await api(
        "GET",
        `/v1/im/chatlog/readRecords?conversationId=${conversationId}&seq=1`,
        { token: me.token },
      );
      expect(records.status).toBe(404);
      const update = await api("PUT", "/v1/im/conversation", {
        token: me.token,
        body: { conversationList: { [conversationId]: { read: 3 } } },
      });
      expect(update.status).toBe(404);
      expect(await storedTables(conversationId)).toBe(0);
      expect(await conversationOf(me, conversationId)).toBeUndefined();
    }
  });

  it("POST /v1/im/chat and setup: nobody / unknown group is 404, a stranger is 403", async () => {
    const me = await quickUser();
    const stranger = await quickUser();
    const nobody = newId();
    const unknownGroup = newId();
    expect((await api("POST", "/v1/im/chat", { token: me.token, body: text(2, nobody) })).status)
      .toBe(404);
    expect(
      (await api("POST", "/v1/im/chat", { token: me.token, body: text(1, unknownGroup) })).status,
    ).toBe(404);
    expect(
      (await api("POST", "/v1/im/chat", { token: me.token, body: text(2, stranger.id) })).status,
    ).toBe(403);
    for (const [chatType, recvId, status] of [[2, nobody, 404], [1, unknownGroup, 404]] as const) {
      const setup = await api("POST", "/v1/im/setup/conversation", {
        token: me.token,
        body: { chatType, recvId },
      });
      expect(setup.status).toBe(status);
    }
    const setup = await api("POST", "/v1/im/setup/conversation", {
      token: me.token,
      body: { chatType: 2, recvId: stranger.id },
    });
    expect(setup.status).toBe(403);
    for (
      const conversationId of [pairKey(me.id, nobody), unknownGroup, pairKey(me.id, stranger.id)]
    ) {
      expect(await storedTables(conversationId), conversationId).toBe(0);
      expect(await conversationOf(me, conversationId)).toBeUndefined();
    }
  });

  it("socket methods: sync, chat, markChat and typing on strangers' conversations", async () => {
    const me = await quickUser();
    const stranger = await quickUser();
    const ids = [newId(), withNobody(me), pairKey(me.id, stranger.id)];
    const { socket } = await connect(me.token);
    const sync = await socket.request("conversation.sync", {
      conversations: Object.fromEntries(ids.map((id) => [id, 0])),
    });
    expect(sync.frameType).toBe(9);
    for (const conversationId of ids) {
      const markChat = await socket.request("conversation.markChat", { conversationId, seq: 1 });
      if (conversationId === pairKey(me.id, stranger.id)) {
        // Either user of a single chat may read it, friends or not: nothing to mark, nothing kept.
        expect(markChat).toMatchObject({ frameType: 2, data: { read: 0 } });
      } else {
        expect(markChat.frameType).toBe(9);
      }
      const typing = await socket.request("conversation.typing", { conversationId });
      expect(typing.frameType).toBe(9);
    }
    const chat = await socket.request("conversation.chat", {
      chatType: 2,
      recvId: stranger.id,
      msg: { mType: 0, content: "hi" },
    });
    expect(chat.frameType).toBe(9);
    for (const conversationId of ids) {
      expect(await storedTables(conversationId), conversationId).toBe(0);
      expect(await conversationOf(me, conversationId)).toBeUndefined();
    }
  });

  it("sync of your own single chat with a stranger answers nothing and lists nothing", async () => {
    const me = await quickUser();
    const stranger = await quickUser();
    const conversationId = pairKey(me.id, stranger.id);
    const { socket } = await connect(me.token);
    const sync = await socket.request("conversation.sync", {
      conversations: { [conversationId]: 0 },
    });
    expect(sync).toMatchObject({ frameType: 2, data: { conversations: { [conversationId]: 0 } } });
    expect(await storedTables(conversationId)).toBe(0);
    expect(await conversationOf(me, conversationId)).toBeUndefined();
    const ready = await connect(me.token);
    expect(ready.ready.data.conversations[conversationId]).toBeUndefined();
    socket.close();
    ready.socket.close();
  });

  it("a non-member of a real group is refused and adds no member row", async () => {
    const owner = await quickUser();
    const outsider = await quickUser();
    const group = await createGroup(owner);
    await sendText(owner, group.id, "members only", 1);
    const rows = () =>
      runInDurableObject(
        env.CONVERSATION.getByName(group.id),
        (_instance, state) =>
          state.storage.sql.exec<{ n: number }>(
            "SELECT (SELECT count(*) FROM members) + (SELECT count(*) FROM messages) AS n",
          ).one().n,
      );
    const before = await rows();
    const answer = await api("GET", `/v1/im/chatlog?conversationId=${group.id}`, {
      token: outsider.token,
    });
    expect(answer.status).toBe(403);
    expect(await rows()).toBe(before);
    expect(await conversationOf(outsider, group.id)).toBeUndefined();
  });

  it("a catch-up asking for a stranger's position is refused, or answered from nothing", async () => {
    const owner = await quickUser();
    const outsider = await quickUser();
    const group = await createGroup(owner);
    await sendText(owner, group.id, "members only", 1);
    const refused = await env.CONVERSATION.getByName(group.id).ask(
      outsider.id,
      "catchUpMember",
      null,
    );
    expect(refused).toMatchObject({ ok: false, status: 403, code: 100006 });
    // A conversation that never stored anything (two users who never chatted) has no position
    // to give, and stores nothing to say so.
    const unused = pairKey(owner.id, outsider.id);
    expect(await env.CONVERSATION.getByName(unused).ask(owner.id, "catchUpMember", null))
      .toEqual({ ok: true, value: null });
    expect(await storedTables(unused)).toBe(0);
  });
});

describe("conversations people are entitled to still work", () => {
  it("a single chat between friends is created by its first message", async () => {
    const alice = await quickUser();
    const bob = await quickUser();
    await makeFriends(alice, bob);
    await sendText(alice, bob.id, "first");
    expect(await storedTables(pairKey(alice.id, bob.id))).toBeGreaterThan(0);
  });
});
