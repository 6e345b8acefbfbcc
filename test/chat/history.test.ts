import { describe, expect, it } from "vitest";
import { chatlog, pairKey, sendText } from "../helpers/chat.ts";
import { api } from "../helpers/http.ts";
import { addMember, createGroup, makeFriends, quickUser } from "../helpers/social.ts";

async function pairWithMessages(count: number) {
  const alice = await quickUser("Alice");
  const bob = await quickUser("Bob");
  await makeFriends(alice, bob);
  for (let i = 1; i <= count; i++) {
    await sendText(i % 2 ? alice : bob, i % 2 ? bob.id : alice.id, `m${i}`);
  }
  return { alice, bob, conversationId: pairKey(alice.id, bob.id) };
}

const seqs = (list: { seq: number }[]) => list.map((m) => m.seq);

describe("GET /v1/im/chatlog", () => {
  it("pages forward with afterSeq and back with beforeSeq, always ascending", async () => {
    const { alice, conversationId } = await pairWithMessages(7);
    expect(seqs(await chatlog(alice, { conversationId }))).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(seqs(await chatlog(alice, { conversationId, count: 3 }))).toEqual([5, 6, 7]);
    expect(seqs(await chatlog(alice, { conversationId, beforeSeq: 5, count: 3 }))).toEqual([
      2,
      3,
      4,
    ]);
    expect(seqs(await chatlog(alice, { conversationId, afterSeq: 2, count: 3 }))).toEqual([
      3,
      4,
      5,
    ]);
    expect(seqs(await chatlog(alice, { conversationId, afterSeq: 7 }))).toEqual([]);
    expect(seqs(await chatlog(alice, { conversationId, afterSeq: 2, beforeSeq: 5 }))).toEqual([
      3,
      4,
    ]);
  });

  it("refuses someone outside the conversation with 403", async () => {
    const { conversationId } = await pairWithMessages(1);
    const eve = await quickUser();
    const answer = await api("GET", `/v1/im/chatlog?conversationId=${conversationId}`, {
      token: eve.token,
    });
    expect(answer.status).toBe(403);
    expect(answer.body.code).toBe(100006);
  });

  it.each([
    ["a malformed conversation id", "conversationId=abc"],
    ["count 0", "conversationId=PAIR&count=0"],
    ["count 101", "conversationId=PAIR&count=101"],
    ["a negative afterSeq", "conversationId=PAIR&afterSeq=-1"],
    ["a non-numeric beforeSeq", "conversationId=PAIR&beforeSeq=x"],
    ["ids in the wrong order", "conversationId=REVERSED"],
    ["no conversation id", "count=5"],
  ])("refuses %s with 400 + 100002", async (_label, query) => {
    const { alice, bob, conversationId } = await pairWithMessages(1);
    const reversed = [bob.id, alice.id].sort().reverse().join("_");
    const url = `/v1/im/chatlog?${
      query.replace("REVERSED", reversed).replace("PAIR", conversationId)
    }`;
    const answer = await api("GET", url, { token: alice.token });
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe(100002);
  });
});

describe("GET /v1/im/chatlog/readRecords", () => {
  it("splits the group's other current members by whether they read the message", async () => {
    const owner = await quickUser("Owner");
    const reader = await quickUser("Reader");
    const lagger = await quickUser("Lagger");
    const group = await createGroup(owner);
    await addMember(group.id, owner, reader);
    await addMember(group.id, owner, lagger);
    await sendText(owner, group.id, "news", 1);
    await api("PUT", "/v1/im/conversation", {
      token: reader.token,
      body: { conversationList: { [group.id]: { read: 1 } } },
    });
    const answer = await api("GET", `/v1/im/chatlog/readRecords?conversationId=${group.id}&seq=1`, {
      token: lagger.token,
    });
    expect(answer.status).toBe(200);
    expect(answer.body.data).toEqual({ reads: [reader.id], unReads: [lagger.id] });
  });

  it("answers 404 for a seq with no message and 403 for an outsider", async () => {
    const { alice, conversationId } = await pairWithMessages(2);
    const missing = await api(
      "GET",
      `/v1/im/chatlog/readRecords?conversationId=${conversationId}&seq=3`,
      {
        token: alice.token,
      },
    );
    expect(missing.status).toBe(404);
    const eve = await quickUser();
    const outsider = await api(
      "GET",
      `/v1/im/chatlog/readRecords?conversationId=${conversationId}&seq=1`,
      {
        token: eve.token,
      },
    );
    expect(outsider.status).toBe(403);
  });

  it("refuses seq 0 with 400", async () => {
    const { alice, conversationId } = await pairWithMessages(1);
    const answer = await api(
      "GET",
      `/v1/im/chatlog/readRecords?conversationId=${conversationId}&seq=0`,
      {
        token: alice.token,
      },
    );
    expect(answer.status).toBe(400);
  });
});
