// A "no socket" receipt that reaches the Conversation after the member's catch-up (they
// connected meanwhile) does not make them away again: the receipt and the catch-up are two RPCs
// between the same two objects, and nothing orders the answer of the first before the second.
// The receipt is held here the way a slow network would hold it; the session ran `receive` at
// once.
import { afterEach, describe, expect, it, vi } from "vitest";
import type { DeliveryBatchJson } from "../../shared/chat/delivery.ts";
import type { DeliveryReceipt } from "../../shared/chat/types.ts";
import { UserSession } from "../../workers/user-session/index.ts";
import { conversationOf, friendsPair, isPush, sendText } from "../helpers/chat.ts";
import { connect } from "../helpers/ws.ts";

afterEach(() => {
  vi.restoreAllMocks();
});

/**
 * `userId`'s session records every delivery at once (as it does), but while `held()` is true
 * the receipt waits before travelling back to the Conversation.
 */
function slowReceipts(userId: string, held: () => boolean): () => number {
  const original = UserSession.prototype.receive;
  let calls = 0;
  vi.spyOn(UserSession.prototype, "receive").mockImplementation(
    function (this: UserSession, batch: DeliveryBatchJson) {
      const receipt = original.call(this, batch);
      if (this.userId !== userId) return receipt;
      calls += 1;
      if (!held()) return receipt;
      return (async () => {
        while (held()) await new Promise((resolve) => setTimeout(resolve, 5));
        return receipt;
      })() as unknown as DeliveryReceipt;
    },
  );
  return () => calls;
}

describe("a late 'no socket' receipt", () => {
  it("does not leave an open socket without live pushes", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    let holding = true;
    const calls = slowReceipts(bob.id, () => holding);
    // Bob has no socket: his session records m1 and marks the chat away; the receipt is slow.
    await sendText(alice, bob.id, "m1");
    await vi.waitFor(() => expect(calls()).toBe(1));

    // Bob connects: the catch-up covers m1 and clears his session's mark.
    const { socket, ready } = await connect(bob.token);
    expect(ready.data.conversations[conversationId]).toMatchObject({ seq: 1, unread: 1 });
    // Now the old receipt arrives.
    holding = false;
    await new Promise((resolve) => setTimeout(resolve, 100));

    try {
      // Bob has an open socket: m2 must be pushed to it live…
      await sendText(alice, bob.id, "m2");
      const push = await socket.next(isPush, 2_000).catch(() => null);
      expect.soft(push?.data.content, "m2 pushed live to the open socket").toBe("m2");
      // …and his list must count it (his session holds no mark, so nothing catches up).
      expect(await conversationOf(bob, conversationId)).toMatchObject({ seq: 2, unread: 2 });
    } finally {
      socket.close();
    }
  });
});
