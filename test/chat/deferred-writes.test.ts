// Both objects defer one write that would otherwise run per message (workers/deferred-save.ts):
// a UserSession its list rows, a Conversation its delivery watermarks. Each test kills the
// instance with `ctx.abort()` while a deferred write is still in memory, checks that storage
// really was behind, and that the next instance answers right: the list by catching up from the
// conversation, the watermarks by a redelivery the session drops.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { conversationOf, friendsPair, isPush, sendText } from "../helpers/chat.ts";
import { abortInstance, instanceOf } from "../helpers/restarts.ts";
import { connect } from "../helpers/ws.ts";

/** The rows `query` finds in the object's own storage, read in the turn that kills it. */
function readThenAbort<T>(stub: DurableObjectStub, query: string, ...bindings: unknown[]) {
  return abortInstance(
    stub,
    (state) => state.storage.sql.exec(query, ...bindings).toArray() as T[],
  );
}
describe("a UserSession killed before it saved its list", () => {
  it("had a stale row stored, and its next instance lists the conversation right", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const { socket } = await connect(bob.token, { deviceId: "phone" });
    // Deliveries change the row in memory; it is saved seconds later.
    for (const text of ["one", "two", "three"]) await sendText(alice, bob.id, text);
    for (let i = 0; i < 3; i++) await socket.next(isPush);
    const session = env.USER_SESSION.getByName(bob.id);
    const before = await instanceOf(session);
    const stored = await readThenAbort<{ seq: number; last_msg: string }>(
      session,
      "SELECT seq, last_msg FROM conversations WHERE conversation_id = ?",
      conversationId,
    );
    // Stored as the conversation first entered the list, before any of the three.
    expect(stored).toHaveLength(1);
    expect(stored[0]!.seq).toBe(0);
    expect(stored[0]!.last_msg).toBeNull();

    // The new instance finds the row marked, asks the conversation, and merges its answer.
    expect(await conversationOf(bob, conversationId)).toMatchObject({
      seq: 3,
      read: 0,
      unread: 3,
      lastMsg: { content: "three" },
    });
    // A stub to an aborted object stays broken: a new one reaches the object's next instance.
    const restarted = env.USER_SESSION.getByName(bob.id);
    expect(await instanceOf(restarted)).not.toBe(before);
    const marks = await runInDurableObject(
      restarted,
      (_instance, state) => state.storage.sql.exec("SELECT conversation_id FROM unsaved").toArray(),
    );
    expect(marks).toEqual([]);
  });
});

describe("a Conversation killed before it saved its watermarks", () => {
  it("had a stale watermark stored, and its next instance redelivers without a second push", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const { socket } = await connect(bob.token);
    // The first watermark move (Alice's or Bob's) is saved at once; the rest wait in memory.
    for (const text of ["one", "two", "three"]) await sendText(alice, bob.id, text);
    const pushed = [];
    for (let i = 0; i < 3; i++) pushed.push((await socket.next(isPush)).data.seq);
    expect(pushed).toEqual([1, 2, 3]);
    const conversation = env.CONVERSATION.getByName(conversationId);
    const stored = await readThenAbort<{ delivered_seq: number }>(
      conversation,
      "SELECT delivered_seq FROM members WHERE user_id = ?",
      bob.id,
    );
    expect(stored).toHaveLength(1);
    expect(stored[0]!.delivered_seq).toBeLessThan(3);

    // The safety-net alarm set with the sends wakes a new instance, which knows Bob only as far
    // as was stored: it hands him the rest again, and his session, which has them, pushes
    // nothing.
    const fresh = env.CONVERSATION.getByName(conversationId);
    expect(await runDurableObjectAlarm(fresh)).toBe(true);
    const after = await runInDurableObject(
      fresh,
      (_instance, state) =>
        state.storage.sql.exec("SELECT delivered_seq FROM members WHERE user_id = ?", bob.id)
          .toArray(),
    );
    expect(after).toEqual([{ delivered_seq: 3 }]);
    expect((await socket.request("user.online", {})).frameType).toBe(2);
    expect(socket.unread().filter(isPush)).toEqual([]);
    expect(await conversationOf(bob, conversationId)).toMatchObject({ seq: 3, unread: 3 });
    socket.close();
  });
});
