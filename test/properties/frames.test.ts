/**
 * Every client method of the WebSocket protocol (walked from CLIENT_METHODS, so a method added
 * later fails here until it has valid data to start from), and frames malformed every way: each
 * gets an error frame with the contract's code, the socket stays open, nothing is stored.
 */
import fc from "fast-check";
import { z } from "zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ERROR_CODE } from "../../shared/errors.ts";
import { FRAME_BURST, FRAME_RATE_PER_SECOND, MAX_BODY_BYTES } from "../../shared/limits.ts";
import { CLIENT_METHODS, HEARTBEAT, type MethodName } from "../../shared/protocol/index.ts";
import { connect, type Frame, type TestSocket } from "../helpers/ws.ts";
import { mutatedValue, oddNumber, oddString, randomBadValue } from "./arbitraries.ts";
import type { JsonSchema } from "./json-schema.ts";
import { resetLimits, snapshot } from "./snapshot.ts";
import { buildWorld, type World } from "./world.ts";

/** Runs per property; each property has its own socket. */
const RUNS = 30;

/**
 * Keeps a socket under the flood limit (FRAME_BURST at once, then FRAME_RATE_PER_SECOND), with a
 * margin: fast-check's shrinking may send many more frames than the runs themselves.
 */
function pacer() {
  let tokens = FRAME_BURST - 5;
  let updatedAt = Date.now();
  return async () => {
    const now = Date.now();
    tokens = Math.min(FRAME_BURST - 5, tokens + ((now - updatedAt) / 1000) * FRAME_RATE_PER_SECOND);
    updatedAt = now;
    if (tokens < 1) {
      const waitMs = ((1 - tokens) / FRAME_RATE_PER_SECOND) * 1000 + 10;
      await new Promise((resolve) => setTimeout(resolve, waitMs));
      return;
    }
    tokens -= 1;
  };
}

/** Data each method would accept: the properties only ever send it broken. */
function validData(w: World): Record<MethodName, Record<string, unknown>> {
  return {
    "conversation.chat": {
      conversationId: w.conversationId,
      chatType: 2,
      recvId: w.bob.id,
      msg: { mType: 0, content: "hi" },
    },
    "conversation.markChat": { conversationId: w.conversationId, seq: 1 },
    "conversation.sync": {
      conversations: { [w.conversationId]: 0 },
      changes: { [w.conversationId]: 0 },
    },
    "conversation.recall": { conversationId: w.conversationId, msgId: w.msgId },
    "conversation.edit": { conversationId: w.conversationId, msgId: w.msgId, content: "fixed" },
    "conversation.typing": { conversationId: w.conversationId },
    "conversation.react": {
      conversationId: w.conversationId,
      msgId: w.msgId,
      emoji: "👍",
      on: true,
    },
    "user.online": {},
  };
}

/** The document of a method's `data`: what a client may send, before any transform. */
function dataSchema(method: MethodName): JsonSchema {
  return z.toJSONSchema(CLIENT_METHODS[method].data, {
    io: "input",
    unrepresentable: "any",
  }) as JsonSchema;
}

/** A frame that cannot be read as a request: what it is, and whether its id is readable. */
interface RawFrame {
  payload: string | ArrayBuffer;
  id?: string;
  code: number;
}

const invalidParams = ERROR_CODE.invalidParams;

function malformedFrames(w: World): fc.Arbitrary<RawFrame> {
  const data = validData(w)["conversation.markChat"];
  const id = fc.uuid();
  const request = (frame: Record<string, unknown>) => JSON.stringify(frame);
  return fc.oneof(
    // Not JSON at all, or JSON that is not an object.
    oddString.filter((text) => text !== HEARTBEAT && !isObjectJson(text))
      .map((payload) => ({ payload, code: invalidParams })),
    fc.jsonValue({ maxDepth: 2 }).filter((value) => typeof value !== "object" || value === null)
      .map((value) => ({ payload: JSON.stringify(value), code: invalidParams })),
    // Binary frames.
    fc.uint8Array({ maxLength: 64 }).map((bytes) => ({
      payload: bytes.slice().buffer as ArrayBuffer,
      code: invalidParams,
    })),
    // A request without an id, or with an id no one could echo.
    fc.constantFrom(undefined, "", "x".repeat(129), 7, null, ["a"], { a: 1 }).map((bad) => ({
      payload: request({ frameType: 0, id: bad, method: "user.online", data: {} }),
      code: invalidParams,
    })),
    // A frameType that is not one a client may send.
    fc.tuple(id, fc.oneof(oddNumber, oddString, fc.constantFrom(2, 9, 3, null, "0", true)))
      .filter(([, type]) => type !== 0 && type !== 1)
      .map(([key, type]) => ({
        payload: request({ frameType: type, id: key, method: "user.online", data: {} }),
        id: key,
        code: invalidParams,
      })),
    // Unknown or mistyped methods.
    fc.tuple(
      id,
      fc.oneof(oddString, fc.constantFrom("push", "conversation.recall ", "USER.ONLINE")),
    )
      .filter(([, method]) => !Object.hasOwn(CLIENT_METHODS, method))
      .map(([key, method]) => ({
        payload: request({ frameType: 0, id: key, method, data: {} }),
        id: key,
        code: invalidParams,
      })),
    // Duplicate keys in the raw text: the last one wins and it is bad.
    fc.tuple(id, fc.constantFrom('"seq":-1', '"seq":"1"', '"seq":1e400', '"seq":1.5'))
      .map(([key, seq]) => ({
        payload: `{"frameType":0,"id":"${key}","method":"conversation.markChat",` +
          `"data":${JSON.stringify(data)},"data":{"conversationId":"${w.conversationId}",${seq}}}`,
        id: key,
        code: invalidParams,
      })),
    // Numbers JSON cannot hold.
    fc.tuple(id, fc.constantFrom("1e400", "-1e400", "1" + "0".repeat(400)))
      .map(([key, number]) => ({
        payload: `{"frameType":0,"id":"${key}","method":"conversation.sync",` +
          `"data":{"conversations":{"${w.conversationId}":${number}}}}`,
        id: key,
        code: invalidParams,
      })),
    // Over 64 KiB.
    fc.tuple(id, fc.integer({ min: 1, max: 4096 })).map(([key, extra]) => ({
      payload: request({
        frameType: 0,
        id: key,
        method: "user.online",
        data: { padding: "x".repeat(MAX_BODY_BYTES + extra) },
      }),
      id: key,
      code: ERROR_CODE.payloadTooLarge,
    })),
  );
}

function isObjectJson(text: string): boolean {
  try {
    const value = JSON.parse(text);
    return typeof value === "object" && value !== null;
  } catch {
    return false;
  }
}

/** Asserts an error frame with one of `codes`, then that the socket is still open. */
function expectErrorFrame(
  socket: TestSocket,
  frame: Frame,
  id: string | undefined,
  codes: number[],
) {
  const shown = JSON.stringify(frame).slice(0, 300);
  expect(frame.frameType, shown).toBe(9);
  expect(frame.id, shown).toBe(id);
  // Each test starts with empty limit windows and paces its frames: a 100008 would be a limit
  // answering before the check the case is about.
  expect(codes, shown).toContain(frame.data?.code);
  expect(typeof frame.data?.msg === "string" && frame.data.msg.length > 0, shown).toBe(true);
  expect(socket.closeEvent, shown).toBeUndefined();
}

describe("bad frames on GET /v1/im/ws", () => {
  let world: World;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    world = await buildWorld();
  });

  afterAll(() => {
    for (const socket of sockets) socket.close();
  });

  async function openSocket(): Promise<TestSocket> {
    const { socket } = await connect(world.alice.token);
    sockets.push(socket);
    return socket;
  }

  /** The socket answers the heartbeat: it is open and still reading. */
  async function expectAlive(socket: TestSocket) {
    socket.send(HEARTBEAT);
    const pong = await socket.next((frame) => frame.frameType === 1);
    expect(pong).toEqual({ frameType: 1 });
  }

  it("has valid data to start from for every client method", () => {
    expect(Object.keys(validData(world)).sort()).toEqual(Object.keys(CLIENT_METHODS).sort());
  });

  for (const method of Object.keys(CLIENT_METHODS) as MethodName[]) {
    it(`${method}: bad data gets an error frame 100002, the socket stays open`, async () => {
      const schema = dataSchema(method);
      const valid = validData(world)[method];
      const socket = await openSocket();
      await resetLimits(world);
      const before = await snapshot(world);
      const data = Object.keys(valid).length > 0
        ? fc.oneof(mutatedValue(schema, valid, {}), randomBadValue(schema, {}))
        : randomBadValue(schema, {});
      // `data: null` is read as a missing `data`, which is `{}` (frame-methods.ts): not bad.
      const bad = data.filter((value) => value !== null);
      const pace = pacer();
      await fc.assert(
        fc.asyncProperty(bad, fc.uuid(), async (value, id) => {
          await pace();
          const answer = await socket.request(method, value, id);
          // Long generated strings can push the frame over 64 KiB: 100009 then.
          expectErrorFrame(socket, answer, id, [invalidParams, ERROR_CODE.payloadTooLarge]);
        }),
        { numRuns: RUNS },
      );
      await expectAlive(socket);
      expect(await snapshot(world)).toEqual(before);
    });
  }

  it("malformed frames get an error frame (with the id when readable), the socket stays open", async () => {
    const socket = await openSocket();
    await resetLimits(world);
    const before = await snapshot(world);
    const pace = pacer();
    await fc.assert(
      fc.asyncProperty(malformedFrames(world), async ({ payload, id, code }) => {
        await pace();
        socket.send(payload);
        const answer = await socket.next((frame) => frame.frameType === 9);
        expectErrorFrame(socket, answer, id, [code]);
      }),
      { numRuns: RUNS },
    );
    await expectAlive(socket);
    expect(await snapshot(world)).toEqual(before);
  });
});
