/**
 * Live read counts (CONTRACT §13): in a group, the sender's sockets get `read.count` for their
 * own messages among the newest 100 — a read covers every earlier seq — at most once a second
 * per conversation; nobody else gets them, single chats do not, `readRecords` lists who.
 */
import { describe, expect, it } from "vitest";
import { api } from "../../helpers/http.ts";
import type { TestUser } from "../../helpers/http.ts";
import { friendsPair, sendText } from "../../helpers/chat.ts";
import { storeText } from "../../helpers/direct-send.ts";
import { isReadCount } from "../../helpers/features.ts";
import { createGroupCast } from "../../helpers/social.ts";
import { connect } from "../../helpers/ws.ts";
import { READ_COUNT_INTERVAL_MS } from "../../../shared/limits.ts";

function markRead(user: TestUser, conversationId: string, read: number) {
  return api("PUT", "/v1/im/conversation", {
    token: user.token,
    body: { conversationList: { [conversationId]: { read } } },
  });
}

describe("read counts", () => {
  it("pushes the sender the readers of each of their messages, a read covering earlier ones", async () => {
    const { creator, manager, member, groupId } = await createGroupCast();
    const creatorSocket = await connect(creator.token);
    const memberSocket = await connect(member.token);
    for (const text of ["one", "two", "three"]) await sendText(creator, groupId, text, 1);
    await sendText(member, groupId, "mine", 1);

    // The member's send read everything up to its seq 4: the member counts as a reader of all.
    expect((await markRead(manager, groupId, 2)).status).toBe(200);
    const first = await creatorSocket.socket.next(isReadCount);
    expect(first.data).toEqual({ conversationId: groupId, counts: { 1: 2, 2: 2, 3: 1 } });
    expect((await markRead(manager, groupId, 4)).status).toBe(200);
    const second = await creatorSocket.socket.next(isReadCount, READ_COUNT_INTERVAL_MS + 2000);
    expect(second.data.counts).toEqual({ 1: 2, 2: 2, 3: 2 });
    // The member's message (seq 4) was read by the manager: the member is told of their own.
    const mine = await memberSocket.socket.next(isReadCount, READ_COUNT_INTERVAL_MS + 2000);
    expect(mine.data.counts).toEqual({ 4: 1 });

    const records = await api("GET", `/v1/im/chatlog/readRecords?conversationId=${groupId}&seq=3`, {
      token: creator.token,
    });
    expect(records.body.data.reads.sort()).toEqual([manager.id, member.id].sort());
  });

  it("sends at most one push per second however many reads come", async () => {
    const { creator, manager, member, groupId } = await createGroupCast();
    const creatorSocket = await connect(creator.token);
    for (let i = 1; i <= 6; i++) await storeText(creator, groupId, `m${i}`, 1);
    // When each read.count reaches the socket (not when the test reads it).
    const arrivals: number[] = [];
    creatorSocket.socket.ws.addEventListener("message", (event) => {
      if (String(event.data).includes('"read.count"')) arrivals.push(Date.now());
    });
    // Reads spread over two seconds, a quarter of a second apart.
    const reads: [TestUser, number][] = [
      [manager, 1],
      [member, 2],
      [manager, 3],
      [member, 4],
      [manager, 5],
      [member, 6],
      [manager, 6],
    ];
    for (const [reader, read] of reads) {
      await markRead(reader, groupId, read);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    let last;
    for (;;) {
      try {
        last = await creatorSocket.socket.next(isReadCount, READ_COUNT_INTERVAL_MS + 1000);
      } catch {
        break;
      }
    }
    expect(last.data.counts).toEqual({ 1: 2, 2: 2, 3: 2, 4: 2, 5: 2, 6: 2 });
    // Some coalesced (7 reads), none closer than the interval.
    expect(arrivals.length).toBeGreaterThan(1);
    expect(arrivals.length).toBeLessThan(reads.length);
    for (let i = 1; i < arrivals.length; i++) {
      expect(arrivals[i]! - arrivals[i - 1]!).toBeGreaterThanOrEqual(READ_COUNT_INTERVAL_MS - 50);
    }
  });

  it("counts only the newest 100 messages, and nothing in single chats", async () => {
    const { creator, manager, groupId } = await createGroupCast();
    const creatorSocket = await connect(creator.token);
    for (let i = 1; i <= 102; i++) await storeText(creator, groupId, `m${i}`, 1);
    await markRead(manager, groupId, 102);
    const push = await creatorSocket.socket.next(isReadCount);
    const seqs = Object.keys(push.data.counts).map(Number);
    expect(Math.min(...seqs)).toBe(3);
    expect(seqs.length).toBe(100);

    const { alice, bob, conversationId } = await friendsPair();
    const aliceSocket = await connect(alice.token);
    await sendText(alice, bob.id, "hi");
    await markRead(bob, conversationId, 1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await aliceSocket.socket.request("user.online", {});
    expect(aliceSocket.socket.unread().filter(isReadCount)).toEqual([]);
  });
});
