import { describe, expect, it } from "vitest";
import { FLOOD_STRIKES_BEFORE_CLOSE, FRAME_BURST } from "../../shared/limits.ts";
import { createUser } from "../helpers/http.ts";
import { connect, type Frame } from "../helpers/ws.ts";

// Far more than burst + strikes: the bucket refills 20/s, so a slow runner may let a few more
// frames through, each of which restarts the strike count; the flood still ends in a close.
const FLOOD_FRAMES = 400;

describe("per-socket rate limit", () => {
  it("answers the burst, then 100008 errors, then closes with 4008", async () => {
    const alice = await createUser("Alice");
    const { socket } = await connect(alice.token);
    for (let i = 0; i < FLOOD_FRAMES; i += 1) {
      socket.send({ frameType: 0, id: `f-${i}`, method: "no.such.method" });
    }
    expect(await socket.closed(10_000)).toEqual({ code: 4008, reason: "rate limit exceeded" });

    const frames: Frame[] = socket.unread();
    const limited = frames.filter((frame) => frame.data?.code === 100008);
    const answered = frames.filter((frame) => frame.data?.code === 100002);
    expect(answered.length).toBeGreaterThanOrEqual(FRAME_BURST);
    expect(limited.length).toBeGreaterThanOrEqual(FLOOD_STRIKES_BEFORE_CLOSE);
    expect(answered.length + limited.length).toBe(frames.length);
    // Every frame handled before the close got exactly one answer naming it.
    const ids = frames.map((frame) => frame.id);
    expect(ids.every((id) => /^f-\d+$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    // The last answers before the close are FLOOD_STRIKES_BEFORE_CLOSE refusals in a row.
    expect(frames.slice(-FLOOD_STRIKES_BEFORE_CLOSE).every((f) => f.data?.code === 100008))
      .toBe(true);
  });

  it("lets a socket that stays under the limit keep going", async () => {
    const alice = await createUser("Alice");
    const { socket } = await connect(alice.token);
    for (let i = 0; i < FRAME_BURST; i += 1) {
      // conversation.sync with nothing to sync: a request no per-user limit counts.
      socket.send({
        frameType: 0,
        id: `ok-${i}`,
        method: "conversation.sync",
        data: { conversations: {} },
      });
    }
    for (let i = 0; i < FRAME_BURST; i += 1) {
      const answer = await socket.next((frame) => frame.id === `ok-${i}`);
      expect(answer.frameType).toBe(2);
    }
    expect(socket.closeEvent).toBeUndefined();
    socket.close();
  });
});
