// A conversation that left the list (1,000-row bound) while its member was away comes back
// with the message that arrived during the absence (CONTRACT §5: "an older one leaves the list
// and comes back with its next message"): the catch-up's position brings the row back.
import { describe, expect, it } from "vitest";
import { CONVERSATION_LIST_LIMIT } from "../../shared/limits.ts";
import { friendsPair, sendText } from "../helpers/chat.ts";
import { fillList } from "../helpers/conversation-list.ts";
import { api } from "../helpers/http.ts";
import { makeFriends, quickUser } from "../helpers/social.ts";
import { connect } from "../helpers/ws.ts";

/**
 * Bob is away in Alice's chat, the chat leaves his full list, and Alice writes again: the "next
 * message" that should bring it back.
 */
async function awayWhileListLeft() {
  const { alice, bob, conversationId } = await friendsPair();
  // Bob has no socket: this delivery makes him away in Alice's chat.
  await sendText(alice, bob.id, "first");
  await fillList(bob.id, CONVERSATION_LIST_LIMIT - 1, 0);
  const carol = await quickUser("Carol");
  await makeFriends(carol, bob);
  // Carol's chat enters Bob's list and pushes Alice's (the oldest) out of it.
  await sendText(carol, bob.id, "newest");
  await sendText(alice, bob.id, "second");
  return { bob, conversationId };
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
    const { bob, conversationId } = await awayWhileListLeft();

    const list = await listed(bob.token);
    expect.soft(list[conversationId], "right after the catch-up").toMatchObject({
      seq: 2,
      unread: 2,
    });
    // And it stays so: nothing else delivers "second" to the list.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect((await listed(bob.token))[conversationId], "1.5 s later").toMatchObject({
      seq: 2,
      unread: 2,
    });
  });

  it("comes back in session.ready too", { timeout: 30_000 }, async () => {
    const { bob, conversationId } = await awayWhileListLeft();

    const { socket, ready } = await connect(bob.token);
    try {
      expect(ready.data.conversations[conversationId]).toMatchObject({ seq: 2, unread: 2 });
    } finally {
      socket.close();
    }
  });
});
