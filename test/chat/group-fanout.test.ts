// A 200-member group: every member gets every message exactly once, in seq order.
import { describe, expect, it } from "vitest";
import { quickUsers } from "../helpers/chat.ts";
import { addMember, createGroup } from "../helpers/social.ts";
import { connect, type Frame } from "../helpers/ws.ts";

const isPush = (frame: Frame) => frame.method === "push";

describe("group fan-out", () => {
  it("delivers each message once to each of 200 members", { timeout: 120_000 }, async () => {
    const [owner, ...others] = await quickUsers(200, "fan");
    const group = await createGroup(owner!);
    for (const member of others) await addMember(group.id, owner!, member);
    const sockets = [];
    for (const member of [owner!, ...others]) sockets.push((await connect(member.token)).socket);

    const senders = [owner!, others[0]!, others[1]!];
    for (const [i, sender] of senders.entries()) {
      await sockets[i === 0 ? 0 : i]!.request("conversation.chat", {
        chatType: 1,
        recvId: group.id,
        msg: { mType: 0, content: `from ${sender.nickname}` },
      });
    }
    for (const socket of sockets) {
      const seqs = [];
      for (let i = 0; i < 3; i++) seqs.push((await socket.next(isPush, 20_000)).data.seq);
      expect(seqs).toEqual([1, 2, 3]);
    }
    // Nothing extra arrived anywhere.
    await sockets[0]!.request("user.online", {});
    for (const socket of sockets) expect(socket.unread().filter(isPush)).toEqual([]);
  });
});
