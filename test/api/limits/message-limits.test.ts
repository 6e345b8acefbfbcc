/**
 * The per-user message bucket (CONTRACT §9): WS `conversation.chat` and `POST /v1/im/chat`
 * together, MESSAGE_BURST at once then MESSAGE_RATE_PER_SECOND; every refused send is stored
 * nowhere. The bucket refills while a burst is in flight, so the count allowed is the burst plus
 * what the elapsed time refilled.
 */
import { describe, expect, it } from "vitest";
import { MESSAGE_BURST, MESSAGE_RATE_PER_SECOND } from "../../../shared/limits.ts";
import { chatlog, friendsPair } from "../../helpers/chat.ts";
import { api } from "../../helpers/http.ts";
import { connect, type Frame } from "../../helpers/ws.ts";

function allowedAfter(startedAt: number): number {
  return MESSAGE_BURST + Math.ceil(((Date.now() - startedAt) / 1000) * MESSAGE_RATE_PER_SECOND);
}

function chatBody(recvId: string, i: number) {
  return { chatType: 2, recvId, msg: { mType: 0, content: `m${i}` } };
}

describe("per-user message limit", () => {
  it("lets the burst through over HTTP and answers 429 with Retry-After for the rest", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const startedAt = Date.now();
    const answers = await Promise.all(
      Array.from({ length: MESSAGE_BURST * 2 }, (_, i) =>
        api("POST", "/v1/im/chat", {
          token: alice.token,
          body: { ...chatBody(bob.id, i), clientMsgId: crypto.randomUUID() },
        })),
    );
    const allowed = allowedAfter(startedAt);
    const passed = answers.filter((answer) => answer.status === 200);
    const limited = answers.filter((answer) => answer.status === 429);
    expect(passed.length).toBeGreaterThanOrEqual(MESSAGE_BURST);
    expect(passed.length).toBeLessThanOrEqual(allowed);
    expect(passed.length + limited.length).toBe(answers.length);
    for (const answer of limited) {
      expect(answer.body.code).toBe(100008);
      expect(Number(answer.headers.get("Retry-After"))).toBeGreaterThan(0);
    }
    const stored = await chatlog(alice, { conversationId, count: 100 });
    expect(stored).toHaveLength(passed.length);
  });

  it("counts sockets and HTTP together, across devices", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const { socket: phone } = await connect(alice.token, { deviceId: "phone" });
    const { socket: laptop } = await connect(alice.token, { deviceId: "laptop" });
    const startedAt = Date.now();
    const third = MESSAGE_BURST;
    const [phoneAnswers, laptopAnswers, httpAnswers] = await Promise.all([
      Promise.all(
        Array.from(
          { length: third },
          (_, i) => phone.request("conversation.chat", chatBody(bob.id, i)),
        ),
      ),
      Promise.all(
        Array.from(
          { length: third },
          (_, i) => laptop.request("conversation.chat", chatBody(bob.id, i)),
        ),
      ),
      Promise.all(Array.from({ length: third }, (_, i) =>
        api("POST", "/v1/im/chat", {
          token: alice.token,
          body: { ...chatBody(bob.id, i), clientMsgId: crypto.randomUUID() },
        }))),
    ]);
    const allowed = allowedAfter(startedAt);
    const frames: Frame[] = [...phoneAnswers, ...laptopAnswers];
    const acked = frames.filter((frame) => frame.frameType === 2).length +
      httpAnswers.filter((answer) => answer.status === 200).length;
    const refusedFrames = frames.filter((frame) => frame.frameType === 9);
    expect(refusedFrames.every((frame) => frame.data.code === 100008)).toBe(true);
    expect(acked).toBeGreaterThanOrEqual(MESSAGE_BURST);
    expect(acked).toBeLessThanOrEqual(allowed);
    const stored = await chatlog(alice, { conversationId, count: 100 });
    expect(stored).toHaveLength(acked);
    phone.close();
    laptop.close();
  });
});
