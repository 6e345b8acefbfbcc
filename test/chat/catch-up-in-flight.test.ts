// A catch-up that arrives while a delivery to the member is still on its way (queued in the
// outbox, or on the network) does not jump over it: the conversation answers the watermark, and
// the delivery in flight records its messages and pushes them to the open socket. The catch-up
// that makes the session ask while a socket is open comes from one that ran past its 2 s
// budget; its late answer is still merged.
import { afterEach, describe, expect, it, vi } from "vitest";
import type { DeliveryBatchJson } from "../../shared/chat/delivery.ts";
import type { DeliveryReceipt } from "../../shared/chat/types.ts";
import { Conversation } from "../../workers/conversation/index.ts";
import { UserSession } from "../../workers/user-session/index.ts";
import { conversationOf, friendsPair, isPush, sendText } from "../helpers/chat.ts";
import { connect } from "../helpers/ws.ts";

afterEach(() => {
  vi.restoreAllMocks();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("a catch-up while a delivery is on its way to an open socket", () => {
  it("does not swallow the delivery's pushes", { timeout: 20_000 }, async () => {
    const { alice, bob, conversationId } = await friendsPair();
    await sendText(alice, bob.id, "m1"); // Bob has no socket: away.
    await sendText(alice, bob.id, "m2");

    // The first catch-up reaches the conversation after the session's 2 s budget.
    const originalAsk = Conversation.prototype.ask;
    let lateCatchUps = 1;
    let lateDone = false;
    vi.spyOn(Conversation.prototype, "ask").mockImplementation(
      async function (this: Conversation, ...args: Parameters<Conversation["ask"]>) {
        if (args[1] === "catchUpMember" && lateCatchUps > 0) {
          lateCatchUps -= 1;
          await sleep(2_300);
          const outcome = await (originalAsk as (...a: unknown[]) => unknown).apply(this, args);
          lateDone = true;
          return outcome;
        }
        return (originalAsk as (...a: unknown[]) => unknown).apply(this, args);
      } as never,
    );
    const { socket } = await connect(bob.token, {});
    await vi.waitFor(() => expect(lateDone).toBe(true), { timeout: 5_000 });

    // Live deliveries reach Bob's socket again…
    await sendText(alice, bob.id, "m3");
    expect((await socket.next(isPush)).data.content).toBe("m3");

    // …and the next one is on its way (held, as a busy outbox or the network holds it) while
    // Bob's app refreshes its list.
    const originalReceive = UserSession.prototype.receive;
    let holding = true;
    vi.spyOn(UserSession.prototype, "receive").mockImplementation(
      function (this: UserSession, batch: DeliveryBatchJson) {
        if (this.userId !== bob.id || !holding) return originalReceive.call(this, batch);
        return (async () => {
          while (holding) await sleep(5);
          return originalReceive.call(this, batch);
        })() as unknown as DeliveryReceipt;
      },
    );
    await sendText(alice, bob.id, "m4");
    await sleep(50);
    // The list counts what reached the session; m4 is still on its way.
    expect(await conversationOf(bob, conversationId)).toMatchObject({ seq: 3, unread: 3 });
    holding = false;

    try {
      const push = await socket.next(isPush, 2_000).catch(() => null);
      expect(push?.data.content, "m4 pushed live to the open socket").toBe("m4");
      expect(await conversationOf(bob, conversationId)).toMatchObject({ seq: 4, unread: 4 });
    } finally {
      socket.close();
    }
  });
});
