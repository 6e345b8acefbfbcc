/**
 * The outbox against the real Worker (CONTRACT §6, §9): after a reconnect it catches up first,
 * then drains within the server's rates, so 120 sends queued while the server was unreachable
 * are all stored once, in order, with no refusal and no 4008; and a 100008 refusal is waited out
 * and retried, not handed to the app.
 */
import { describe, expect, it } from "vitest";
import { chatlog, friendsPair } from "../helpers/chat.ts";
import type { ChatSession } from "../../shared/client/index.ts";
import { api } from "../helpers/http.ts";
import { nextReady, received, sessionStarter, until, waitFor } from "../helpers/sdk.ts";

const start = sessionStarter();

/** Every frame the server sent a session (through `tap`), and its sockets' close codes. */
function recorder() {
  // deno-lint-ignore no-explicit-any -- frames of every kind
  const frames: any[] = [];
  const closes: number[] = [];
  return {
    frames,
    closes,
    tap: (text: string) => {
      frames.push(JSON.parse(text));
      return "deliver" as const;
    },
    watch: (session: ChatSession) => session.on("disconnect", ({ code }) => closes.push(code)),
  };
}

describe("ChatSession outbox", () => {
  it(
    "drains 120 sends queued while the server was unreachable: each once, in order, none refused",
    async () => {
      const { alice, bob, conversationId } = await friendsPair();
      const record = recorder();
      let reachable = true;
      const session = start(alice.token, {
        tap: record.tap,
        // A connect while "the server is down" fails as a refused connection would.
        token: () => {
          if (!reachable) throw new Error("connection refused");
          return alice.token;
        },
      });
      record.watch(session);
      const receiver = start(bob.token);
      const got = received(receiver);
      await Promise.all([nextReady(session), nextReady(receiver)]);

      reachable = false;
      session.dropConnection();
      await waitFor(session.on.bind(session, "state"), (state) => state === "reconnecting");
      const sends = Array.from(
        { length: 120 },
        (_, i) =>
          session.send({ chatType: 2, recvId: bob.id, msg: { mType: 0, content: `m${i + 1}` } }),
      );
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const drainStarted = Date.now();
      reachable = true;
      const acks = await Promise.all(sends);
      const drainMs = Date.now() - drainStarted;

      expect(acks.map((ack) => ack.seq)).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
      expect(record.frames.filter((frame) => frame.frameType === 9)).toEqual([]);
      expect(record.closes).not.toContain(4008);
      // 120 frames at 20/s after a burst of 20: at least 5 s; the server's limit was never met.
      expect(drainMs).toBeGreaterThanOrEqual(4500);
      const stored = await chatlog(bob, { conversationId, count: 100, afterSeq: 0 });
      const rest = await chatlog(bob, { conversationId, count: 100, afterSeq: 100 });
      expect([...stored, ...rest].map((m) => m.content)).toEqual(
        Array.from({ length: 120 }, (_, i) => `m${i + 1}`),
      );
      await until(() => got.length === 120, "the receiver's 120 messages", 10_000);
      expect(got.map((m) => m.seq)).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
    },
    40_000,
  );

  it("waits out a 100008 (rate limited) and sends again instead of rejecting", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const record = recorder();
    const session = start(alice.token, { tap: record.tap });
    await nextReady(session);
    // Spend the user's message budget over HTTP (it is shared with the socket, CONTRACT §9).
    let spent = 0;
    for (let i = 0; i < 60; i++) {
      const answer = await api("POST", "/v1/im/chat", {
        token: alice.token,
        body: {
          chatType: 2,
          recvId: bob.id,
          msg: { mType: 0, content: `http${i}` },
          clientMsgId: crypto.randomUUID(),
        },
      });
      if (answer.status === 429) break;
      spent += 1;
    }
    expect(spent).toBeLessThan(60);
    // Ten at once, right after the budget ran out: the bucket refills one message per 50 ms, so
    // most of them are refused with 100008 and must be waited out and sent again, in order.
    const contents = Array.from({ length: 10 }, (_, i) => `after the limit ${i}`);
    const acks = await Promise.all(
      contents.map((content) =>
        session.send({ chatType: 2, recvId: bob.id, msg: { mType: 0, content } })
      ),
    );
    const refusals = record.frames.filter((frame) => frame.frameType === 9);
    expect(refusals.length).toBeGreaterThanOrEqual(1);
    expect(refusals.every((frame) => frame.data.code === 100008)).toBe(true);
    // Each stored once. Their order may differ from the order sent: a send written after a
    // refused one can be stored before it is sent again (docs/sdk.md, "Never floods").
    const seqs = acks.map((ack) => ack.seq).sort((a, b) => a - b);
    expect(seqs).toEqual(contents.map((_, i) => spent + i + 1));
    const last = await chatlog(bob, { conversationId, afterSeq: spent });
    expect(last.map((m) => m.content).sort()).toEqual([...contents].sort());
  }, 20_000);
});
