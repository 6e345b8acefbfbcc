// CONTRACT §5: the list holds a user's 1,000 most recently active conversations; an older one
// leaves it (its history stays) and comes back with its next message, unread still exact.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { CONVERSATION_LIST_LIMIT } from "../../shared/limits.ts";
import { chatlog, conversationOf, friendsPair, sendText } from "../helpers/chat.ts";
import { fillList } from "../helpers/conversation-list.ts";
import { api } from "../helpers/http.ts";
import { makeFriends, quickUser } from "../helpers/social.ts";

/** Rows in `userId`'s stored list, listed or not. */
function storedRows(userId: string): Promise<number> {
  return runInDurableObject(
    env.USER_SESSION.getByName(userId),
    (_instance, state) =>
      state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM conversations").one().n,
  );
}

async function listed(token: string): Promise<Record<string, { seq: number; unread: number }>> {
  const answer = await api("GET", "/v1/im/conversation", { token });
  expect(answer.status).toBe(200);
  return answer.body.data.conversationList;
}

describe("the conversation list's bound", () => {
  it("keeps the 1,000 most recently active; an older one comes back with its next message", {
    timeout: 30_000,
  }, async () => {
    const { alice, bob, conversationId } = await friendsPair();
    await sendText(alice, bob.id, "first");
    expect(await conversationOf(bob, conversationId)).toMatchObject({ seq: 1, unread: 1 });

    await fillList(bob.id, CONVERSATION_LIST_LIMIT - 1);
    const carol = await quickUser("Carol");
    await makeFriends(carol, bob);
    await sendText(carol, bob.id, "newest");

    const full = await listed(bob.token);
    expect(Object.keys(full)).toHaveLength(CONVERSATION_LIST_LIMIT);
    expect(await storedRows(bob.id)).toBe(CONVERSATION_LIST_LIMIT);
    // Alice's chat was the least recently active: it left the list, its history did not.
    expect(full[conversationId]).toBeUndefined();
    expect((await chatlog(bob, { conversationId })).map((m) => m.content)).toEqual(["first"]);

    await sendText(alice, bob.id, "second");
    const back = await listed(bob.token);
    expect(Object.keys(back)).toHaveLength(CONVERSATION_LIST_LIMIT);
    expect(await storedRows(bob.id)).toBe(CONVERSATION_LIST_LIMIT);
    expect(back[conversationId]).toMatchObject({ seq: 2, unread: 2 });
  });
});
