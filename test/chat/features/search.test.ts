/**
 * Search (CONTRACT §13): case-insensitive substrings, Chinese included (2-character queries
 * too), newest first with a cursor, never recalled / edited-away / hidden / past a leave point,
 * across the caller's conversations with `searched`, 30 per minute.
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, expectRefusal } from "../../helpers/http.ts";
import { friendsPair, sendText } from "../../helpers/chat.ts";
import { deleteForMe, edit, recall } from "../../helpers/lifecycle.ts";
import { found, search, searchRaw } from "../../helpers/features.ts";
import { addMember, createGroupCast, makeFriends, quickUser } from "../../helpers/social.ts";

describe("search in one conversation", () => {
  it('finds Chinese substrings: "你好" finds "大家你好啊", three characters too', async () => {
    const { alice, bob, conversationId } = await friendsPair();
    await sendText(alice, bob.id, "大家你好啊");
    await sendText(bob, alice.id, "我们明天见");
    await sendText(alice, bob.id, "你们好");
    expect(await found(bob, "你好", conversationId)).toEqual(["大家你好啊"]);
    expect(await found(bob, "家你好", conversationId)).toEqual(["大家你好啊"]);
    expect(await found(alice, "明天见", conversationId)).toEqual(["我们明天见"]);
    expect(await found(alice, "你们", conversationId)).toEqual(["你们好"]);
  });

  it("is case-insensitive for English, newest first, with a snippet around the match", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    await sendText(alice, bob.id, "Hello World");
    await sendText(bob, alice.id, "say HELLO to everyone");
    await sendText(alice, bob.id, "goodbye");
    const data = await search(alice, { q: "hello", conversationId });
    expect(data.list.map((hit: { message: { content: string } }) => hit.message.content)).toEqual([
      "say HELLO to everyone",
      "Hello World",
    ]);
    expect(data.searched).toBe(1);
    expect(data.nextCursor).toBeNull();
    expect(data.list[0].snippet).toContain("HELLO");
    expect(data.list[0].message.reactions).toEqual([]);
    expect(await found(bob, "wOR", conversationId)).toEqual(["Hello World"]);
    expect(await found(bob, "lo", conversationId)).toEqual([
      "say HELLO to everyone",
      "Hello World",
    ]);
    // LIKE's wildcards are text here.
    expect(await found(bob, "%o", conversationId)).toEqual([]);
  });

  it("pages newest first with nextCursor; limit 1–50, q 2–100 characters", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    for (let i = 1; i <= 5; i++) await sendText(alice, bob.id, `note ${i}`);
    const first = await search(bob, { q: "note", conversationId, limit: 2 });
    expect(first.list.map((hit: { message: { seq: number } }) => hit.message.seq)).toEqual([5, 4]);
    const second = await search(bob, {
      q: "note",
      conversationId,
      limit: 2,
      cursor: first.nextCursor,
    });
    expect(second.list.map((hit: { message: { seq: number } }) => hit.message.seq)).toEqual([3, 2]);
    const third = await search(bob, {
      q: "note",
      conversationId,
      limit: 2,
      cursor: second.nextCursor,
    });
    expect(third.list.map((hit: { message: { seq: number } }) => hit.message.seq)).toEqual([1]);
    expect(third.nextCursor).toBeNull();
    const refused: Record<string, string | number>[] = [
      { q: "n", conversationId },
      { q: "x".repeat(101), conversationId },
      { q: "note", conversationId, limit: 0 },
      { q: "note", conversationId, limit: 51 },
      { q: "note", conversationId, cursor: "not-a-cursor" },
    ];
    for (const query of refused) {
      expectRefusal(await searchRaw(bob, query), 400, 100002);
    }
  });

  it("never finds recalled messages, text an edit replaced, or what the reader hid", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const recalled = await sendText(alice, bob.id, "secret plan alpha");
    const edited = await sendText(alice, bob.id, "draft wording");
    const hidden = await sendText(alice, bob.id, "embarrassing typo");
    expect((await recall(alice, conversationId, recalled.msgId)).status).toBe(200);
    expect((await edit(alice, conversationId, edited.msgId, "final text")).status).toBe(200);
    expect((await deleteForMe(bob, { conversationId, msgIds: [hidden.msgId] })).status).toBe(200);
    for (const user of [alice, bob]) {
      expect(await found(user, "secret", conversationId)).toEqual([]);
      expect(await found(user, "se", conversationId)).toEqual([]);
      expect(await found(user, "draft", conversationId)).toEqual([]);
      expect(await found(user, "final", conversationId)).toEqual(["final text"]);
    }
    // Nor does the index keep the recalled or the replaced text (not just filtered out).
    const inIndex = await runInDurableObject(
      env.CONVERSATION.getByName(conversationId),
      (_instance, state) =>
        ["secret", "draft", "final"].map((word) =>
          state.storage.sql.exec("SELECT rowid FROM search_text WHERE search_text MATCH ?", word)
            .toArray().length
        ),
    );
    expect(inIndex).toEqual([0, 0, 1]);
    // Hidden for the one who deleted it, not for the other.
    expect(await found(bob, "typo", conversationId)).toEqual([]);
    expect(await found(bob, "ty", conversationId)).toEqual([]);
    expect(await found(alice, "typo", conversationId)).toEqual(["embarrassing typo"]);
  });

  it("finds nothing after a former member's leave point, and refuses strangers", async () => {
    const { creator, member, outsider, groupId } = await createGroupCast();
    await sendText(creator, groupId, "before you left", 1);
    const kicked = await api("POST", "/v1/social/group/kick", {
      token: creator.token,
      body: { groupId, userId: member.id },
    });
    expect(kicked.status).toBe(200);
    await sendText(creator, groupId, "after you left", 1);
    expect(await found(member, "you left", groupId)).toEqual(["before you left"]);
    expect(await found(creator, "you left", groupId)).toEqual([
      "after you left",
      "before you left",
    ]);
    expectRefusal(await searchRaw(outsider, { q: "left", conversationId: groupId }), 403, 100006);
  });
});

describe("search across conversations", () => {
  it("searches the caller's conversations, newest first, and says how many", async () => {
    const me = await quickUser("Searcher");
    const [ann, ben] = [await quickUser("Ann"), await quickUser("Ben")];
    await makeFriends(me, ann);
    await makeFriends(me, ben);
    const { creator, groupId } = await createGroupCast();
    await addMember(groupId, creator, me);
    await sendText(ann, me.id, "project kickoff monday");
    await sendText(me, ben.id, "the Project budget");
    await sendText(creator, groupId, "project retro", 1);
    // A conversation the caller is not in is not searched.
    const { alice, bob } = await friendsPair();
    await sendText(alice, bob.id, "project secret");

    const data = await search(me, { q: "PROJECT" });
    const contents = data.list.map((hit: { message: { content: string } }) => hit.message.content);
    expect(contents.sort()).toEqual(
      ["project kickoff monday", "project retro", "the Project budget"].sort(),
    );
    const times = data.list.map((hit: { message: { sendTime: number } }) => hit.message.sendTime);
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(data.searched).toBeGreaterThanOrEqual(2);
    const paged = await search(me, { q: "project", limit: 1 });
    const next = await search(me, { q: "project", limit: 1, cursor: paged.nextCursor });
    const last = await search(me, { q: "project", limit: 1, cursor: next.nextCursor });
    const seen = [paged, next, last].map((page) => page.list[0].message.msgId);
    expect(new Set(seen).size).toBe(3);
    expect(last.nextCursor).toBeNull();
  });

  it("allows 30 searches per user per minute (429 after)", async () => {
    const { alice, conversationId } = await friendsPair();
    for (let i = 0; i < 30; i++) {
      expect((await searchRaw(alice, { q: "anything", conversationId })).status).toBe(200);
    }
    const refused = await searchRaw(alice, { q: "anything", conversationId });
    expectRefusal(refused, 429, 100008);
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThan(0);
  });
});
