// CONTRACT §15 "Small ones": blocking and unblocking someone you never talked to stores no
// Conversation state; between (former) friends the single chat still hears of the block.
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { pairKey, sendText } from "../../helpers/chat.ts";
import { api, type TestUser } from "../../helpers/http.ts";
import { makeFriends, quickUser } from "../../helpers/social.ts";

/** Tables in a Conversation's SQLite storage, the runtime's own `_cf_` tables aside. */
async function storedTables(conversationId: string): Promise<number> {
  const stub = env.CONVERSATION.getByName(conversationId);
  return await runInDurableObject(stub, (_instance, state) =>
    state.storage.sql.exec<{ n: number }>(
      "SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\'",
    ).one().n);
}

function setBlock(method: "POST" | "DELETE", user: TestUser, other: TestUser) {
  return api(method, "/v1/social/block", { token: user.token, body: { userId: other.id } });
}

describe("blocking a stranger", () => {
  it("stores no Conversation, blocked or unblocked", async () => {
    const [me, stranger] = await Promise.all([quickUser(), quickUser()]);
    expect((await setBlock("POST", me, stranger)).status).toBe(200);
    expect((await setBlock("DELETE", me, stranger)).status).toBe(200);
    expect((await setBlock("POST", stranger, me)).status).toBe(200);
    expect(await storedTables(pairKey(me.id, stranger.id))).toBe(0);
  });

  it("still refuses the blocked one's messages once they become friends", async () => {
    const [me, stranger] = await Promise.all([quickUser(), quickUser()]);
    await setBlock("POST", me, stranger);
    await makeFriends(me, stranger); // the blocker may still ask
    const send = await api("POST", "/v1/im/chat", {
      token: stranger.token,
      body: {
        chatType: 2,
        recvId: me.id,
        msg: { mType: 0, content: "hello?" },
        clientMsgId: crypto.randomUUID(),
      },
    });
    expect(send.status).toBe(403);
  });

  it("reaches the chat of former friends, whose conversation has state", async () => {
    const [me, friend] = await Promise.all([quickUser(), quickUser()]);
    await makeFriends(me, friend);
    await sendText(friend, me.id, "hi");
    await setBlock("POST", me, friend);
    const send = await api("POST", "/v1/im/chat", {
      token: friend.token,
      body: {
        chatType: 2,
        recvId: me.id,
        msg: { mType: 0, content: "still there?" },
        clientMsgId: crypto.randomUUID(),
      },
    });
    expect(send.status).toBe(403);
  });
});
