// A conversation that left the list (1,000-row bound) while its member was away comes back
// with the message that arrived during the absence (CONTRACT §5: "an older one leaves the list
// and comes back with its next message"): the catch-up's position brings the row back.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { newId } from "../../shared/ids.ts";
import { CONVERSATION_LIST_LIMIT } from "../../shared/limits.ts";
import { friendsPair, sendText } from "../helpers/chat.ts";
import { api } from "../helpers/http.ts";
import { makeFriends, quickUser } from "../helpers/social.ts";
import { connect } from "../helpers/ws.ts";

/**
 * Fills `userId`'s list with conversations more recently active than anything in it, all as of
 * the same millisecond (so a message sent afterwards is more recent than every one of them).
 */
function fillList(userId: string, count: number): Promise<void> {
  return runInDurableObject(env.USER_SESSION.getByName(userId), (_instance, state) => {
    const later = state.storage.sql.exec<{ at: number }>(
      "SELECT MAX(updated_at) AS at FROM conversations",
    ).one().at + 1;
    for (let i = 0; i < count; i++) {
      const id = newId();
      state.storage.sql.exec(
        `INSERT INTO conversations
           (conversation_id, chat_type, target_id, seq, read_seq, is_show, last_msg, updated_at)
         VALUES (?, 1, ?, 0, 0, 1, NULL, ?)`,
        id,
        id,
        later,
      );
    }
  });
}

async function listed(token: string): Promise<Record<string, { seq: number; unread: number }>> {
  const answer = await api("GET", "/v1/im/conversation", { token });
  expect(answer.status).toBe(200);
  return answer.body.data.conversationList;
}

describe("a conversation that left the list while its member was away", () => {
  it("comes back with the message sent during the absence (GET /v1/im/conversation)", {
    timeout: 30_000,
  }, async () => {
    const { alice, bob, conversationId } = await friendsPair();
    // Bob has no socket: this delivery makes him away in Alice's chat.
    await sendText(alice, bob.id, "first");
    await fillList(bob.id, CONVERSATION_LIST_LIMIT - 1);
    const carol = await quickUser("Carol");
    await makeFriends(carol, bob);
    // Carol's chat enters Bob's list and pushes Alice's (the oldest) out of it.
    await sendText(carol, bob.id, "newest");
    // Alice writes again while Bob is away: this is the "next message".
    await sendText(alice, bob.id, "second");

    const list = await listed(bob.token);
    expect.soft(list[conversationId], "right after the catch-up").toMatchObject({
      seq: 2,
      unread: 2,
    });
    // Not a matter of time: the catch-up moved the watermark, nothing will deliver "second".
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect((await listed(bob.token))[conversationId], "1.5 s later").toMatchObject({
      seq: 2,
      unread: 2,
    });
  });

  it("comes back in session.ready too", { timeout: 30_000 }, async () => {
    const { alice, bob, conversationId } = await friendsPair();
    await sendText(alice, bob.id, "first");
    await fillList(bob.id, CONVERSATION_LIST_LIMIT - 1);
    const carol = await quickUser("Carol");
    await makeFriends(carol, bob);
    await sendText(carol, bob.id, "newest");
    await sendText(alice, bob.id, "second");

    const { socket, ready } = await connect(bob.token);
    try {
      expect(ready.data.conversations[conversationId]).toMatchObject({ seq: 2, unread: 2 });
    } finally {
      socket.close();
    }
  });
});
