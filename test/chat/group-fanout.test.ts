// A 200-member group: every connected member's session gets every message exactly once, in seq
// order, and their sockets exactly one push of each; a member without a socket costs at most one
// call for the whole absence, and their list still shows every message the moment it is read.
import { afterEach, describe, expect, it, vi } from "vitest";
import { type DeliveryBatchJson, parseDeliveryBatch } from "../../shared/chat/delivery.ts";
import { UserSession } from "../../workers/user-session/index.ts";
import { conversationOf, isPush, quickUsers } from "../helpers/chat.ts";
import { applyToGroup, createGroup } from "../helpers/social.ts";
import { connect } from "../helpers/ws.ts";

const MEMBERS = 200;
// The test's own client side slows down sharply past ~150 WebSockets held by one test isolate,
// so half the members are connected; the other half are checked through their sessions.
const CONNECTED = 100;

afterEach(() => {
  vi.restoreAllMocks();
});

describe("group fan-out", () => {
  it(`delivers each message once to each of ${MEMBERS} members`, { timeout: 120_000 }, async () => {
    const [owner, ...others] = await quickUsers(MEMBERS, "fan");
    const members = [owner!, ...others];
    // Each member joins on their own (an open group), so no one user exceeds the write limit.
    const group = await createGroup(owner!, { isVerify: false });
    for (const member of others) {
      expect((await applyToGroup(member, group.id)).body.data.handleResult).toBe(2);
    }
    const sockets = [];
    for (const member of members.slice(0, CONNECTED)) {
      sockets.push((await connect(member.token)).socket);
    }

    // Count, per member, the messages their session took as new.
    const original = UserSession.prototype.receive;
    const fresh = new Map<string, number[]>();
    const calls = new Map<string, number>();
    vi.spyOn(UserSession.prototype, "receive").mockImplementation(
      function (this: UserSession, batch: DeliveryBatchJson) {
        calls.set(this.userId, (calls.get(this.userId) ?? 0) + 1);
        const before = fresh.get(this.userId) ?? [];
        const receipt = original.call(this, batch);
        const { messages } = parseDeliveryBatch(batch);
        const newSeqs = messages.slice(messages.length - receipt.fresh)
          .map((m) => m.seq);
        fresh.set(this.userId, [...before, ...newSeqs]);
        return receipt;
      },
    );

    for (const sender of [owner!, others[0]!, others[1]!]) {
      const socket = sockets[members.indexOf(sender)]!;
      const ack = await socket.request("conversation.chat", {
        chatType: 1,
        recvId: group.id,
        msg: { mType: 0, content: `from ${sender.nickname}` },
      });
      expect(ack.frameType).toBe(2);
    }
    for (const socket of sockets) {
      const seqs = [];
      for (let i = 0; i < 3; i++) seqs.push((await socket.next(isPush, 20_000)).data.seq);
      expect(seqs).toEqual([1, 2, 3]);
    }
    const online = members.slice(0, CONNECTED);
    const complete = () => online.every((member) => (fresh.get(member.id)?.length ?? 0) >= 3);
    await vi.waitFor(() => expect(complete()).toBe(true), { timeout: 30_000 });
    for (const member of online) {
      expect(fresh.get(member.id), member.nickname).toEqual([1, 2, 3]);
    }
    // Nothing extra arrived on any socket: a round trip on each (an unknown method is answered by
    // the session without any I/O), then no push is left unread.
    for (const socket of sockets) {
      expect((await socket.request("round.trip", {})).frameType).toBe(9);
      expect(socket.unread().filter(isPush)).toEqual([]);
    }
    // At most a call per message to a member with a socket (messages that pile up while one is
    // in flight share the next); at most one, for all three, to each member without one (their
    // session was told once that the group has news, when they joined or at the first message).
    const callsTo = (group: typeof members) =>
      group.reduce((sum, member) => sum + (calls.get(member.id) ?? 0), 0);
    expect(callsTo(members.slice(1, CONNECTED))).toBeLessThanOrEqual(3 * (CONNECTED - 1));
    const away = members.slice(CONNECTED);
    for (const member of away) expect(calls.get(member.id) ?? 0).toBeLessThanOrEqual(1);
    // And the unconnected members' lists show all three, unread, as soon as they are read.
    for (const member of away) {
      expect(await conversationOf(member, group.id)).toMatchObject({ seq: 3, unread: 3 });
    }
  });
});
