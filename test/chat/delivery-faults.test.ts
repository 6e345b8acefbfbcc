// CONTRACT §7.1: ack means stored — a failed push is late, never lost.
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Conversation } from "../../workers/conversation/index.ts";
import { chatlog, conversationOf, friendsPair, isPush, sendText } from "../helpers/chat.ts";
import { failDeliveriesTo } from "../helpers/faults.ts";
import { instanceOf, recordAlarms } from "../helpers/restarts.ts";
import { connect } from "../helpers/ws.ts";

afterEach(() => {
  vi.restoreAllMocks();
});

describe("fan-out faults", () => {
  it("a session that throws during fan-out gets the message on the alarm's retry", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const { socket } = await connect(bob.token);
    // Bob's session fails once; Alice's deliveries go through.
    const fault = failDeliveriesTo(bob.id, { times: 1 });
    const ack = await sendText(alice, bob.id, "survives");
    await vi.waitFor(() => expect(fault.failures()).toBe(1));
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
    expect(fault.calls()).toBe(2);
    expect(await conversationOf(bob, conversationId)).toMatchObject({ seq: 1, unread: 1 });
  });

  it("a conversation object that crashes with the push in flight: a new instance delivers it once", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const { socket } = await connect(bob.token);
    // Bob's delivery is caught mid-way: the call stays in flight until the test lets it fail.
    let released = false;
    const fault = failDeliveriesTo(bob.id, { hold: () => released });
    const alarms = recordAlarms(Conversation);
    const ack = await sendText(alice, bob.id, "across a crash");
    await vi.waitFor(() => expect(fault.calls()).toBe(1));
    const stub = env.CONVERSATION.getByName(conversationId);
    const crashed = await instanceOf(stub);
    // A crash, not an eviction: eviction would wait for the delivery in flight to finish. The
    // abort breaks the object's output gate, so the call that aborts it rejects with the reason.
    await expect(runInDurableObject(stub, (_instance, state) => state.abort("test crash")))
      .rejects.toThrow("test crash");
    // A stub to an aborted object stays broken: a new one reaches the object's next instance.
    await expect(instanceOf(stub)).rejects.toThrow("test crash");
    const restarted = env.CONVERSATION.getByName(conversationId);
    const successor = await instanceOf(restarted);
    expect(successor).not.toBe(crashed);
    // The crashed instance's delivery now fails, into an instance that no longer exists.
    released = true;
    await vi.waitFor(() => expect(fault.failures()).toBe(1));
    fault.heal();
    // It is stored: history has it before any retry; nothing reached Bob yet.
    expect((await chatlog(bob, { conversationId })).map((m) => m.msgId)).toEqual([ack.msgId]);
    expect(socket.unread().filter(isPush)).toEqual([]);
    // The safety-net alarm set before the ack survived the crash; it runs in the new instance.
    expect(await runDurableObjectAlarm(restarted)).toBe(true);
    expect(alarms.map((run) => run.instance)).toEqual([successor]);
    expect((await socket.next(isPush)).data).toMatchObject({ msgId: ack.msgId, seq: 1 });
    expect(fault.calls()).toBe(2);
    expect(await runDurableObjectAlarm(restarted)).toBe(false);
    await socket.request("user.online", {});
    expect(socket.unread().filter(isPush)).toEqual([]);
    expect(await conversationOf(bob, conversationId)).toMatchObject({ seq: 1, read: 0, unread: 1 });
    socket.close();
  });

  it("a retried delivery that had in fact arrived is not pushed twice", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const { socket } = await connect(bob.token);
    await sendText(alice, bob.id, "one");
    expect((await socket.next(isPush)).data.seq).toBe(1);
    // Forget that the delivery succeeded, as if the object died before recording it: the
    // stored watermark goes back, and a new instance reads it.
    const stub = env.CONVERSATION.getByName(conversationId);
    await runInDurableObject(stub, (_instance, state) => {
      state.storage.sql.exec("UPDATE members SET delivered_seq = 0");
    });
    await evictDurableObject(stub);
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
