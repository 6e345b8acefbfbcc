import { abortAllDurableObjects, evictDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { conversationOf, friendsPair, isPush, sendText } from "../helpers/chat.ts";
import { createUser } from "../helpers/http.ts";
import { makeFriends } from "../helpers/social.ts";
import { connect } from "../helpers/ws.ts";

/**
 * The close a client sees when the session object goes away under its socket (abort, or an
 * eviction that closes sockets): the instance is torn down without running any close of ours,
 * the runtime drops the connection without a Close frame, and the client's WebSocket reports
 * 1006 "abnormal closure" — a code reserved for that report, never sent on the wire, so the
 * server cannot have chosen it (CONTRACT §7.6 lists the codes the server sends; docs/websocket.md
 * calls this a plain disconnect: reconnect with backoff and catch up).
 */
const ABNORMAL_CLOSURE = 1006;

describe("the session object restarting", () => {
  it("aborted: the sockets drop with 1006; the client reconnects cleanly and gets session.ready", async () => {
    const alice = await createUser("Alice");
    const bob = await createUser("Bob");
    await makeFriends(alice, bob);
    const first = await connect(alice.token, { deviceId: "phone" });
    const { socket: bobSocket } = await connect(bob.token);

    await abortAllDurableObjects();
    expect((await first.socket.closed()).code).toBe(ABNORMAL_CLOSURE);
    expect((await bobSocket.closed()).code).toBe(ABNORMAL_CLOSURE);

    const again = await connect(alice.token, { deviceId: "phone" });
    expect(again.ready).toEqual({
      frameType: 0,
      method: "session.ready",
      data: { userId: alice.id, conversations: {} },
    });
    const session = env.USER_SESSION.getByName(alice.id);
    expect(await session.socketCount()).toBe(1);
    // Bob's socket went down with the abort too; Alice sees him offline until he returns.
    expect((await again.socket.request("user.online", {})).data.onlineList[bob.id]).toBe(false);
    const back = await connect(bob.token);
    expect((await again.socket.request("user.online", {})).data.onlineList[bob.id]).toBe(true);
    again.socket.close();
    back.socket.close();
  });

  // The eviction waits for the session's pending deferred save of its list (10–15 s).
  it("evicted with its sockets closed: 1006 as well, and its storage is kept", {
    timeout: 30_000,
  }, async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const first = await connect(bob.token, { deviceId: "phone" });
    const sent = await sendText(alice, bob.id, "before the restart");
    expect((await first.socket.next(isPush)).data.msgId).toBe(sent.msgId);

    await evictDurableObject(env.USER_SESSION.getByName(bob.id), { webSockets: "close" });
    expect((await first.socket.closed()).code).toBe(ABNORMAL_CLOSURE);
    // No socket survived the eviction.
    expect(await env.USER_SESSION.getByName(bob.id).socketCount()).toBe(0);

    const again = await connect(bob.token, { deviceId: "phone" });
    expect(again.ready.data.conversations).toEqual({
      [conversationId]: {
        seq: 1,
        read: 0,
        unread: 1,
        mentionUnread: 0,
        changeSeq: 0,
        muted: false,
        pinned: false,
        lastMsg: expect.objectContaining({ msgId: sent.msgId }),
      },
    });
    const next = await sendText(alice, bob.id, "after the restart");
    expect((await again.socket.next(isPush)).data).toMatchObject({ msgId: next.msgId, seq: 2 });
    expect(await conversationOf(bob, conversationId)).toMatchObject({ seq: 2, unread: 2 });
    again.socket.close();
  });
});
