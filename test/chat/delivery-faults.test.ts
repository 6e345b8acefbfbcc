// CONTRACT §7.1: ack means stored — a failed push is late, never lost.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { DeliveryBatch } from "../../shared/chat/types.ts";
import { UserSession } from "../../workers/user-session/index.ts";
import { chatlog, conversationOf, friendsPair, isPush, sendText } from "../helpers/chat.ts";

import { connect } from "../helpers/ws.ts";

afterEach(() => {
  vi.restoreAllMocks();
});

describe("fan-out faults", () => {
  it("a session that throws during fan-out gets the message on the alarm's retry", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const { socket } = await connect(bob.token);
    // Bob's session fails once; Alice's deliveries go through.
    const original = UserSession.prototype.receive;
    let failed = false;
    const receive = vi.spyOn(UserSession.prototype, "receive").mockImplementation(
      function (this: UserSession, batch: DeliveryBatch) {
        if (this.userId === bob.id && !failed) {
          failed = true;
          throw new Error("session unavailable");
        }
        return original.call(this, batch);
      },
    );
    const ack = await sendText(alice, bob.id, "survives");
    await vi.waitFor(() => expect(failed).toBe(true));
    await vi.waitFor(() => expect(receive.mock.calls.length).toBeGreaterThanOrEqual(2));
    expect(socket.unread().filter(isPush)).toEqual([]);
    const stub = env.CONVERSATION.getByName(conversationId);
    const failures = await runInDurableObject(
      stub,
      (_instance, state) =>
        state.storage.sql.exec<{ failures: number }>(
          "SELECT SUM(failures) AS failures FROM members",
        ).one().failures,
    );
    expect(failures).toBe(1);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const push = await socket.next(isPush);
    expect(push.data).toMatchObject({ msgId: ack.msgId, seq: 1 });
    expect(await conversationOf(bob, conversationId)).toMatchObject({ seq: 1, unread: 1 });
  });

  it("a conversation object aborted between ack and push still delivers after restart", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const receive = vi.spyOn(UserSession.prototype, "receive").mockImplementation(() => {
      throw new Error("never reached");
    });
    const ack = await sendText(alice, bob.id, "across a restart");
    await vi.waitFor(() => expect(receive).toHaveBeenCalled());
    const stub = env.CONVERSATION.getByName(conversationId);
    await runInDurableObject(stub, (_instance, state) => state.abort("test restart")).catch(
      () => {},
    );
    receive.mockRestore();
    // It is stored: history has it even before any retry.
    expect((await chatlog(bob, { conversationId })).map((m) => m.msgId)).toEqual([ack.msgId]);
    const { socket } = await connect(bob.token);
    // A stub to an aborted object stays broken: a new one reaches the restarted object.
    const restarted = env.CONVERSATION.getByName(conversationId);
    expect(await runDurableObjectAlarm(restarted)).toBe(true);
    expect((await socket.next(isPush)).data.msgId).toBe(ack.msgId);
    expect(await conversationOf(bob, conversationId)).toMatchObject({ seq: 1, unread: 1 });
  });

  it("a retried delivery that had in fact arrived is not pushed twice", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const { socket } = await connect(bob.token);
    await sendText(alice, bob.id, "one");
    expect((await socket.next(isPush)).data.seq).toBe(1);
    // Forget that the delivery succeeded, as if the object died before recording it.
    const stub = env.CONVERSATION.getByName(conversationId);
    await runInDurableObject(stub, (_instance, state) => {
      state.storage.sql.exec("UPDATE members SET delivered_seq = 0");
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    // The redelivered seq 1 reached the session (watermark moved) and was dropped there.
    const delivered = await runInDurableObject(
      stub,
      (_instance, state) =>
        state.storage.sql.exec<{ seq: number }>("SELECT MIN(delivered_seq) AS seq FROM members")
          .one().seq,
    );
    expect(delivered).toBe(1);
    await socket.request("user.online", {});
    expect(socket.unread().filter(isPush)).toEqual([]);
    await sendText(alice, bob.id, "two");
    expect((await socket.next(isPush)).data.seq).toBe(2);
  });
});
