// A catch-up joins one already in flight only if that one covers every delivery away so far.
// When a newer delivery made the member away meanwhile (the conversation answered the first
// ask, then delivered m2, which found no socket, before the first answer reached the session),
// it asks again: session.ready is exact and the socket just opened gets live pushes. The first
// answer is held here as network latency would hold it.
import { afterEach, describe, expect, it, vi } from "vitest";
import { Conversation } from "../../workers/conversation/index.ts";
import { api } from "../helpers/http.ts";
import { friendsPair, isPush, sendText } from "../helpers/chat.ts";
import { connect } from "../helpers/ws.ts";

afterEach(() => {
  vi.restoreAllMocks();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("a catch-up joining one in flight", () => {
  it("still makes session.ready exact and the new socket live", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    await sendText(alice, bob.id, "m1"); // no socket: Bob is away
    await sleep(100);

    const originalAsk = Conversation.prototype.ask;
    let slow = 1;
    let answered = false;
    let holding = true;
    vi.spyOn(Conversation.prototype, "ask").mockImplementation(
      async function (this: Conversation, ...args: Parameters<Conversation["ask"]>) {
        const outcome = await (originalAsk as (...a: unknown[]) => unknown).apply(this, args);
        if (args[1] === "catchUpMember" && slow > 0) {
          slow -= 1;
          answered = true;
          while (holding) await sleep(5);
        }
        return outcome;
      } as never,
    );

    // Bob's app lists its conversations: the conversation answers, the answer is slow.
    const listing = api("GET", "/v1/im/conversation", { token: bob.token });
    await vi.waitFor(() => expect(answered).toBe(true));
    await sendText(alice, bob.id, "m2"); // delivered (Bob was seen), finds no socket: away again
    await sleep(100);
    await sendText(alice, bob.id, "m3"); // held back: Bob is away

    // The app opens its socket while the listing is still waiting.
    setTimeout(() => (holding = false), 100);
    const { socket, ready } = await connect(bob.token);
    await listing;
    try {
      expect.soft(ready.data.conversations[conversationId], "session.ready").toMatchObject({
        seq: 3,
        unread: 3,
      });
      await sendText(alice, bob.id, "m4");
      const push = await socket.next(isPush, 2_000).catch(() => null);
      expect(push?.data.content, "m4 pushed live to the open socket").toBe("m4");
    } finally {
      socket.close();
    }
  });
});
