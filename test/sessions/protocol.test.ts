import { describe, expect, it } from "vitest";
import { FRAME_BURST, FRAME_RATE_PER_SECOND } from "../../shared/limits.ts";
import {
  ackFrame,
  closeBackCode,
  encodeFrame,
  errorFrame,
  HEARTBEAT,
  parseClientFrame,
  pushFrame,
} from "../../shared/protocol/index.ts";
import { fullBucket, takeToken } from "../../workers/user-session/token-bucket.ts";

describe("frames", () => {
  it("builds acks, errors and pushes the way the contract spells them", () => {
    expect(encodeFrame(ackFrame("conversation.typing", "a", {}))).toBe(
      '{"frameType":2,"id":"a","data":{}}',
    );
    expect(errorFrame(undefined, 100002, "bad")).toEqual({
      frameType: 9,
      data: { code: 100002, msg: "bad" },
    });
    expect(pushFrame("typing", { conversationId: "c", userId: "u" })).toEqual({
      frameType: 0,
      method: "typing",
      data: { conversationId: "c", userId: "u" },
    });
    expect(encodeFrame({ frameType: 1 })).toBe(HEARTBEAT);
  });

  it("parses a request and a ping, stripping unknown fields", () => {
    expect(parseClientFrame('{"frameType":0,"id":"1","method":"user.online","x":1}')).toEqual({
      ok: true,
      frame: { frameType: 0, id: "1", method: "user.online" },
    });
    expect(parseClientFrame('{ "frameType": 1 }')).toEqual({ ok: true, frame: { frameType: 1 } });
  });

  it("echoes a readable id on a malformed request, and none when it is not a string", () => {
    expect(parseClientFrame('{"frameType":0,"id":"7"}')).toMatchObject({ ok: false, id: "7" });
    expect(parseClientFrame('{"frameType":0,"id":7,"method":"m"}')).toMatchObject({
      ok: false,
      id: undefined,
      code: 100002,
    });
  });
});

describe("closeBackCode", () => {
  it("echoes sendable codes and maps the reserved ones to 1000", () => {
    expect(closeBackCode(1000)).toBe(1000);
    expect(closeBackCode(1001)).toBe(1001);
    expect(closeBackCode(4000)).toBe(4000);
    for (const reserved of [1004, 1005, 1006, 1015, 0, 2000, 5000]) {
      expect(closeBackCode(reserved)).toBe(1000);
    }
  });
});

describe("frame token bucket", () => {
  it(`allows a burst of ${FRAME_BURST}, then refills ${FRAME_RATE_PER_SECOND} per second`, () => {
    let bucket = fullBucket(0);
    for (let i = 0; i < FRAME_BURST; i += 1) {
      const taken = takeToken(bucket, 0);
      expect(taken.allowed).toBe(true);
      bucket = taken.bucket;
    }
    expect(takeToken(bucket, 0).allowed).toBe(false);
    const oneTokenLater = 1000 / FRAME_RATE_PER_SECOND;
    expect(takeToken(bucket, oneTokenLater - 1).allowed).toBe(false);
    expect(takeToken(bucket, oneTokenLater).allowed).toBe(true);
    expect(takeToken(bucket, 60_000).bucket.tokens).toBe(FRAME_BURST - 1);
  });

  it("never refills backwards when the clock does", () => {
    const taken = takeToken({ tokens: 0, updatedAt: 1000 }, 500);
    expect(taken.allowed).toBe(false);
    expect(taken.bucket.updatedAt).toBe(1000);
    expect(takeToken(taken.bucket, 1000).allowed).toBe(false);
  });
});
