// CONTRACT §7.1 across a real eviction of the Conversation object: its instance is torn down
// between the ack and the fan-out (storage kept), and the next instance, woken by its own alarm
// (not by a test helper), delivers the message exactly once.
import { evictDurableObject } from "cloudflare:test";
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

describe("a Conversation evicted between its ack and its fan-out", () => {
  it("is woken by its alarm, still knows its name, and delivers the message once", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const { socket } = await connect(bob.token);
    const fault = failDeliveriesTo(bob.id);
    const alarms = recordAlarms(Conversation);
    const ack = await sendText(alice, bob.id, "across an eviction");
    // The immediate fan-out failed (nothing in flight: eviction waits for calls in flight).
    await vi.waitFor(() => expect(fault.failures()).toBe(1));
    const stub = env.CONVERSATION.getByName(conversationId);
    const evicted = await instanceOf(stub);
    await evictDurableObject(stub);
    // Torn down: there is no running instance left to evict.
    await expect(evictDurableObject(stub)).rejects.toThrow(/not currently running/);
    fault.heal();

    // The retry alarm (1 s backoff) fires by itself and wakes a new instance.
    const push = await socket.next(isPush, 5000);
    expect(push.data).toMatchObject({ msgId: ack.msgId, seq: 1, content: "across an eviction" });
    expect(alarms).toHaveLength(1);
    const [woken] = alarms;
    expect(woken!.instance).not.toBe(evicted);
    // Woken by the alarm alone, the object still knows the name it is addressed by.
    expect(woken!.name).toBe(conversationId);
    expect(await instanceOf(stub)).toBe(woken!.instance);

    // Exactly once: one delivery after the failed one, no second push, counted once.
    expect(fault.calls()).toBe(2);
    await socket.request("user.online", {});
    expect(socket.unread().filter(isPush)).toEqual([]);
    expect((await chatlog(bob, { conversationId })).map((m) => m.msgId)).toEqual([ack.msgId]);
    expect(await conversationOf(bob, conversationId)).toMatchObject({ seq: 1, read: 0, unread: 1 });
    socket.close();
  });
});
