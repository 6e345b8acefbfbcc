/**
 * The SDK's async iterators against the real Worker: a conversation's history paged back from
 * the newest message (each page ascending, down to seq 1), and a cursor-paged list walked to its
 * end.
 */
import { describe, expect, it } from "vitest";
import { historyPages, items, pages, unwrap } from "../../shared/client/index.ts";
import { friendsPair, sendText } from "../helpers/chat.ts";
import { makeFriends, quickUser } from "../helpers/social.ts";
import { testApi } from "../helpers/sdk.ts";

describe("historyPages", () => {
  it("pages a conversation back from its newest message down to seq 1", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    for (let i = 1; i <= 5; i++) await sendText(bob, alice.id, `m${i}`);
    const seen: number[][] = [];
    for await (const page of historyPages(testApi(alice.token), conversationId, { count: 2 })) {
      seen.push(page.map((m) => m.seq));
    }
    expect(seen).toEqual([[4, 5], [2, 3], [1]]);
  });

  it("stops where the caller stops (a user who scrolls no further)", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    for (let i = 1; i <= 3; i++) await sendText(bob, alice.id, `m${i}`);
    const api = testApi(alice.token);
    for await (const page of historyPages(api, conversationId, { count: 1 })) {
      expect(page.map((m) => m.content)).toEqual(["m3"]);
      break;
    }
  });
});

describe("pages and items", () => {
  it("walk a cursor-paged list to its end", async () => {
    const me = await quickUser("Many");
    const friends = [];
    for (let i = 0; i < 5; i++) {
      const friend = await quickUser(`F${i}`);
      await makeFriends(friend, me);
      friends.push(friend.id);
    }
    const api = testApi(me.token);
    const fetchPage = (cursor: string | undefined) =>
      unwrap(api.GET("/v1/social/friends", { params: { query: { limit: 2, cursor } } }));
    const sizes: number[] = [];
    for await (const page of pages(fetchPage)) sizes.push(page.length);
    expect(sizes).toEqual([2, 2, 1]);
    const all: string[] = [];
    for await (const friend of items(fetchPage)) all.push(friend.friendUid);
    expect(all.sort()).toEqual(friends.sort());
  });
});
