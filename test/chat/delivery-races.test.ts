// Deliveries that lag or overlap with reads, setups, rejoins and syncs: the list stays right and
// each socket still gets every message once, in seq order (CONTRACT §7.1, §7.2, §7.4).
import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { type DeliveryBatchJson, parseDeliveryBatch } from "../../shared/chat/delivery.ts";
import { UserSession } from "../../workers/user-session/index.ts";
import { conversationOf, friendsPair, isPush, sendText } from "../helpers/chat.ts";
import { api } from "../helpers/http.ts";
import { holdSyncAnswers } from "../helpers/lifecycle.ts";
import { addMember, createGroup, quickUser } from "../helpers/social.ts";
import { connect, type Frame } from "../helpers/ws.ts";

afterEach(() => {
  vi.restoreAllMocks();
});

/** Makes every delivery to `userId` fail until the returned function is called. */
function failDeliveriesTo(userId: string) {
  const original = UserSession.prototype.receive;
  let failed = false;
  const spy = vi.spyOn(UserSession.prototype, "receive").mockImplementation(
    function (this: UserSession, batch: DeliveryBatchJson) {
      if (this.userId === userId) {
        failed = true;
        throw new Error("session unavailable");
      }
      return original.call(this, batch);
    },
  );
  const failedOnce = () => expect(failed).toBe(true);
  return { spy, failedOnce, restore: () => spy.mockRestore() };
}

describe("lagging deliveries", () => {
  it("a read marked before the first delivery arrives is kept", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const down = failDeliveriesTo(bob.id);
    await sendText(alice, bob.id, "one");
    await sendText(alice, bob.id, "two");
    await vi.waitFor(down.failedOnce);
    const put = await api("PUT", "/v1/im/conversation", {
      token: bob.token,
      body: { conversationList: { [conversationId]: { read: 2 } } },
    });
    expect(put.status).toBe(200);
    down.restore();
    expect(await runDurableObjectAlarm(env.CONVERSATION.getByName(conversationId))).toBe(true);
    expect(await conversationOf(bob, conversationId)).toMatchObject({ seq: 2, read: 2, unread: 0 });
  });

  it("setting up a conversation while its delivery lags still pushes the message", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const { socket } = await connect(bob.token);
    const down = failDeliveriesTo(bob.id);
    const ack = await sendText(alice, bob.id, "one");
    await vi.waitFor(down.failedOnce);
    const setup = await api("POST", "/v1/im/setup/conversation", {
      token: bob.token,
      body: { recvId: alice.id, chatType: 2 },
    });
    expect(setup.status).toBe(200);
    down.restore();
    expect(await runDurableObjectAlarm(env.CONVERSATION.getByName(conversationId))).toBe(true);
    expect((await socket.next(isPush)).data.msgId).toBe(ack.msgId);
    expect(await conversationOf(bob, conversationId)).toMatchObject({ seq: 1, unread: 1 });
  });

  it("rejoining while an old delivery is in flight leaves the list right", async () => {
    const owner = await quickUser("Owner");
    const member = await quickUser("Member");
    const group = await createGroup(owner);
    const groupId = group.id as string;
    await addMember(groupId, owner, member);
    // Online, so that every delivery reaches the member's session (one without a socket would
    // be told once and then left to catch up when it asks).
    const { socket } = await connect(member.token);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let held = false;
    const original = UserSession.prototype.receive;
    const spy = vi.spyOn(UserSession.prototype, "receive").mockImplementation(
      async function (this: UserSession, batch: DeliveryBatchJson) {
        if (this.userId === member.id && !held && parseDeliveryBatch(batch).messages.length > 0) {
          held = true;
          await gate;
        }
        return original.call(this, batch);
      } as never,
    );
    await sendText(owner, groupId, "m1", 1);
    await vi.waitFor(() => expect(held).toBe(true));
    const kicked = await api("POST", "/v1/social/group/kick", {
      token: owner.token,
      body: { groupId, userId: member.id },
    });
    expect(kicked.status).toBe(200);
    await sendText(owner, groupId, "m2 while out", 1);
    await addMember(groupId, owner, member);
    const callsBefore = spy.mock.calls.length;
    release();
    // The held batch completes, then the join position is announced.
    await vi.waitFor(() => expect(spy.mock.calls.length).toBeGreaterThan(callsBefore));
    await vi.waitFor(async () =>
      expect(await conversationOf(member, groupId)).toMatchObject({ seq: 2, read: 2, unread: 0 })
    );
    await sendText(owner, groupId, "m3", 1);
    await vi.waitFor(async () =>
      expect(await conversationOf(member, groupId)).toMatchObject({ seq: 3, read: 2, unread: 1 })
    );
    socket.close();
  });
});

describe("conversation.sync racing a live delivery", () => {
  it("pushes to the syncing socket in seq order, each message once", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    await sendText(alice, bob.id, "1");
    await sendText(alice, bob.id, "2");
    const { socket } = await connect(bob.token);
    const held = holdSyncAnswers();
    const id = crypto.randomUUID();
    socket.send({
      frameType: 0,
      id,
      method: "conversation.sync",
      data: { conversations: { [conversationId]: 0 } },
    });
    await held.entered();
    // A live message while the sync waits: it reaches Bob's session during the sync.
    await sendText(alice, bob.id, "3");
    await vi.waitFor(async () =>
      expect(await conversationOf(bob, conversationId)).toMatchObject({ seq: 3 })
    );
    held.release();
    const seqs: number[] = [];
    for (;;) {
      const frame = await socket.next((f: Frame) => isPush(f) || f.id === id);
      if (frame.id === id) break;
      seqs.push(frame.data.seq);
    }
    // Whatever came live during the sync follows the sync's own pushes, once.
    await socket.request("user.online", {});
    for (const frame of socket.unread().filter(isPush)) seqs.push(frame.data.seq);
    expect(seqs).toEqual([1, 2, 3]);
  });
});
