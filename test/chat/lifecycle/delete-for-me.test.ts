/**
 * Delete for me (CONTRACT §10): hidden from the caller's own chatlog and sync only, by id or up
 * to a seq; the caller's own sockets are told; nobody else sees a difference.
 */
import { describe, expect, it } from "vitest";
import { chatlog, friendsPair, isPush, sendText } from "../../helpers/chat.ts";
import { deleteForMe } from "../../helpers/lifecycle.ts";
import { connect, type Frame } from "../../helpers/ws.ts";

describe("DELETE /v1/im/chatlog", () => {
  it("hides messages by id from the caller's chatlog only, and tells the caller's sockets", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const sent = [];
    for (const text of ["a", "b", "c"]) sent.push(await sendText(alice, bob.id, text));
    const bobTablet = await connect(bob.token, { deviceId: "tablet" });
    const aliceSocket = await connect(alice.token);

    const answer = await deleteForMe(bob, { conversationId, msgIds: [sent[1]!.msgId] });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body.data).toEqual({});
    expect(await bobTablet.socket.next((f: Frame) => f.method === "chatlog.deleted")).toEqual({
      frameType: 0,
      method: "chatlog.deleted",
      data: { conversationId, msgIds: [sent[1]!.msgId], upToSeq: 0 },
    });
    expect((await chatlog(bob, { conversationId })).map((m) => m.content)).toEqual(["a", "c"]);
    expect((await chatlog(alice, { conversationId })).map((m) => m.content))
      .toEqual(["a", "b", "c"]);
    await aliceSocket.socket.request("user.online", {});
    expect(aliceSocket.socket.unread().filter((f: Frame) => f.method === "chatlog.deleted"))
      .toEqual([]);
  });

  it("hides everything up to a seq, pages past hidden messages, and sync skips them", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    for (let i = 1; i <= 5; i++) await sendText(alice, bob.id, `m${i}`);
    expect((await deleteForMe(bob, { conversationId, upToSeq: 4 })).status).toBe(200);
    expect((await chatlog(bob, { conversationId })).map((m) => m.seq)).toEqual([5]);
    // A page before seq 5 is empty for Bob (all hidden), full for Alice.
    expect(await chatlog(bob, { conversationId, beforeSeq: 5, count: 2 })).toEqual([]);
    expect((await chatlog(alice, { conversationId, beforeSeq: 5, count: 2 })).map((m) => m.seq))
      .toEqual([3, 4]);

    const { socket } = await connect(bob.token);
    const synced = await socket.request("conversation.sync", {
      conversations: { [conversationId]: 0 },
    });
    expect(synced.data).toEqual({ conversations: { [conversationId]: 5 } });
    expect(socket.unread().filter(isPush).map((f: Frame) => f.data.seq)).toEqual([5]);
  });

  it("says where a sync stopped even when every message after it is hidden", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const sent = [await sendText(alice, bob.id, "x"), await sendText(alice, bob.id, "y")];
    await deleteForMe(bob, { conversationId, msgIds: sent.map((m) => m.msgId) });
    const { socket } = await connect(bob.token);
    const synced = await socket.request("conversation.sync", {
      conversations: { [conversationId]: 0 },
    });
    expect(synced.data.conversations[conversationId]).toBe(2);
    expect(socket.unread().filter(isPush)).toEqual([]);
  });

  it("refuses an unknown message (404) and hides nothing of that request", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const sent = await sendText(alice, bob.id, "keep");
    const answer = await deleteForMe(bob, {
      conversationId,
      msgIds: [sent.msgId, "f".repeat(32)],
    });
    expect([answer.status, answer.body.code]).toEqual([404, 100005]);
    expect((await chatlog(bob, { conversationId })).map((m) => m.content)).toEqual(["keep"]);
  });

  it("refuses a body with neither msgIds nor upToSeq, and too many ids (400)", async () => {
    const { bob, conversationId } = await friendsPair();
    const neither = await deleteForMe(bob, { conversationId });
    expect([neither.status, neither.body.code]).toEqual([400, 100002]);
    const ids = Array.from({ length: 101 }, () => crypto.randomUUID().replaceAll("-", ""));
    const tooMany = await deleteForMe(bob, { conversationId, msgIds: ids });
    expect([tooMany.status, tooMany.body.code]).toEqual([400, 100002]);
  });

  it("refuses a stranger (403)", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const { alice: stranger } = await friendsPair();
    await sendText(alice, bob.id, "private");
    const answer = await deleteForMe(stranger, { conversationId, upToSeq: 1 });
    expect([answer.status, answer.body.code]).toEqual([403, 100006]);
  });
});
