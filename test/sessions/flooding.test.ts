// CONTRACT §6, §15 "Floods" / docs/websocket.md "Rate limit": frames over the rate are refused
// (100008) and charged; a socket whose refused frames are more than half of its last 40 is
// closed with 4008, and nothing it sent after that is processed.
import { describe, expect, it } from "vitest";
import {
  FLOOD_REFUSED_TO_CLOSE,
  FLOOD_WINDOW_FRAMES,
  FRAME_BURST,
  FRAME_RATE_PER_SECOND,
} from "../../shared/limits.ts";
import { createUser } from "../helpers/http.ts";
import { connect, type Frame } from "../helpers/ws.ts";

const BURST_FRAMES = 3000;

/** A request every socket may make that does work and is acked: a sync of nothing. */
function syncNothing(id: string) {
  return { frameType: 0, id, method: "conversation.sync", data: { conversations: {} } };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("per-socket flood handling", () => {
  it("closes a 3,000-frame burst with 4008 and processes only the frames before the verdict", async () => {
    const alice = await createUser("Alice");
    const { socket } = await connect(alice.token);
    for (let i = 0; i < BURST_FRAMES; i += 1) socket.send(syncNothing(`f-${i}`));
    expect(await socket.closed(15_000)).toEqual({ code: 4008, reason: "rate limit exceeded" });
    // Give frames still in flight time to be answered, if anything answered them.
    await sleep(300);

    const frames: Frame[] = socket.unread();
    const processed = frames.filter((frame) => frame.frameType === 2);
    const refused = frames.filter((frame) => frame.data?.code === 100008);
    // The burst, plus what the bucket refilled while the frames arrived, is processed; the
    // refusals stop at the verdict: more than half of the last 40 refused.
    expect(processed.length).toBeGreaterThanOrEqual(FRAME_BURST);
    expect(processed.length).toBeLessThan(FRAME_BURST + 20);
    expect(refused.length).toBeGreaterThanOrEqual(FLOOD_REFUSED_TO_CLOSE);
    expect(refused.length).toBeLessThan(FLOOD_REFUSED_TO_CLOSE + 20);
    expect(processed.length + refused.length).toBe(frames.length);
    const ids = frames.map((frame) => frame.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("closes a socket that keeps sending at 1.5× the rate", async () => {
    const alice = await createUser("Alice");
    const { socket } = await connect(alice.token);
    const perSecond = FRAME_RATE_PER_SECOND * 1.5;
    const started = Date.now();
    let sent = 0;
    // Until the close, at most 20 s: the burst lasts 4 s at this rate, then every frame is
    // refused until the socket slows down, and 21 of the last 40 refused close it.
    while (!socket.closeEvent && Date.now() - started < 20_000) {
      socket.send(syncNothing(`s-${sent}`));
      sent += 1;
      const due = started + (sent * 1000) / perSecond;
      await sleep(Math.max(0, due - Date.now()));
    }
    expect(socket.closeEvent).toEqual({ code: 4008, reason: "rate limit exceeded" });
    const frames: Frame[] = socket.unread();
    const last = frames.slice(-FLOOD_WINDOW_FRAMES);
    expect(last.filter((frame) => frame.data?.code === 100008).length)
      .toBeGreaterThanOrEqual(FLOOD_REFUSED_TO_CLOSE);
  }, 30_000);

  it("lets a socket that stays under the limit keep going", async () => {
    const alice = await createUser("Alice");
    const { socket } = await connect(alice.token);
    for (let i = 0; i < FRAME_BURST; i += 1) socket.send(syncNothing(`ok-${i}`));
    for (let i = 0; i < FRAME_BURST; i += 1) {
      const answer = await socket.next((frame) => frame.id === `ok-${i}`);
      expect(answer.frameType).toBe(2);
    }
    expect(socket.closeEvent).toBeUndefined();
    socket.close();
  });

  it("keeps a socket open that pauses after its refusals", async () => {
    const alice = await createUser("Alice");
    const { socket } = await connect(alice.token);
    // The burst and ten more: ten refused, fewer than the 21 that close.
    for (let i = 0; i < FRAME_BURST + 10; i += 1) socket.send(syncNothing(`p-${i}`));
    const last = await socket.next((frame) => frame.id === `p-${FRAME_BURST + 9}`);
    expect(last.data.code).toBe(100008);
    // Ten frames of debt and a token: (10 + 1) / 20 s.
    await sleep(((10 + 2) * 1000) / FRAME_RATE_PER_SECOND);
    expect((await socket.request("conversation.sync", { conversations: {} })).frameType).toBe(2);
    expect(socket.closeEvent).toBeUndefined();
    socket.close();
  });
});
