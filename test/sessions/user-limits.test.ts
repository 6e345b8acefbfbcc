/** Per-user limits on the socket side (CONTRACT §9): presence, typing; errors are 100008 frames. */
import { describe, expect, it } from "vitest";
import { PRESENCE_LOOKUPS } from "../../shared/limits.ts";
import { friendsPair } from "../helpers/chat.ts";
import { api } from "../helpers/http.ts";
import { quickUser } from "../helpers/social.ts";
import { connect, type Frame } from "../helpers/ws.ts";

const isTyping = (frame: Frame) => frame.method === "typing";

describe("user.online limit", () => {
  it(`answers ${PRESENCE_LOOKUPS.limit} a minute and 100008 frames for the rest`, async () => {
    const alice = await quickUser("Alice");
    const { socket } = await connect(alice.token);
    const answers = await Promise.all(
      Array.from({ length: PRESENCE_LOOKUPS.limit + 5 }, () => socket.request("user.online", {})),
    );
    expect(answers.filter((frame) => frame.frameType === 2)).toHaveLength(PRESENCE_LOOKUPS.limit);
    const refused = answers.filter((frame) => frame.frameType === 9);
    expect(refused).toHaveLength(5);
    expect(refused.every((frame) => frame.data.code === 100008)).toBe(true);
    // The socket stays open, and HTTP presence shares the same count.
    expect(socket.closeEvent).toBeUndefined();
    const http = await api("GET", "/v1/social/friends/online", { token: alice.token });
    expect(http.status).toBe(429);
    socket.close();
  });
});

describe("typing limit", () => {
  it("relays one typing per conversation per 2 s and acks the dropped ones", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const { socket: aliceSocket } = await connect(alice.token);
    const { socket: bobSocket } = await connect(bob.token);
    const acks = await Promise.all(
      Array.from(
        { length: 5 },
        () => aliceSocket.request("conversation.typing", { conversationId }),
      ),
    );
    expect(acks.every((frame) => frame.frameType === 2)).toBe(true);
    await bobSocket.next(isTyping);
    // A round trip through Bob's session after the relay: no second typing frame came.
    await aliceSocket.request("conversation.chat", {
      chatType: 2,
      recvId: bob.id,
      msg: { mType: 0, content: "hi" },
    });
    await bobSocket.next((frame) => frame.method === "push");
    expect(bobSocket.unread().filter(isTyping)).toEqual([]);
    aliceSocket.close();
    bobSocket.close();
  });
});
