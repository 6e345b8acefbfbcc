/**
 * CONTRACT §9 "No state for strangers", as properties: well-formed ids of conversations the
 * caller may not read or send to (a single chat with a user who does not exist, with a stranger,
 * between two other users; a group that does not exist or that the caller is not in) are
 * refused with 403/404 over HTTP and over the socket, and leave nothing behind: no Durable
 * Object, no list entry, no row.
 *
 * One case is not a refusal: Alice may always read her own single chat (history stays readable
 * to both users, CONTRACT §3), so reading one with an existing user she never chatted with
 * answers an empty history (chatlog `[]`, markChat and PUT read 0) — and still stores nothing.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pairKey } from "../../shared/ids.ts";
import { api } from "../helpers/http.ts";
import { createGroup } from "../helpers/social.ts";
import { connect, type TestSocket } from "../helpers/ws.ts";
import { CODE_FOR_STATUS } from "./requests.ts";
import { resetLimits, snapshot } from "./snapshot.ts";
import { buildWorld, type World } from "./world.ts";

const RUNS = 15;

/** A conversation the caller (Alice) has no business with, addressed both ways. */
interface StrangerTarget {
  what: string;
  /** Alice's own single chat with an existing user: reads answer empty instead of refusing. */
  hers?: boolean;
  conversationId: string;
  chatType: 1 | 2;
  recvId: string;
}

const unknownId = fc.string({
  unit: fc.constantFrom(..."0123456789abcdef"),
  minLength: 32,
  maxLength: 32,
});

function strangerTargets(w: World, foreignGroupId: string): fc.Arbitrary<StrangerTarget> {
  const single = (what: string, a: string, b: string, recvId: string): StrangerTarget => ({
    what,
    conversationId: pairKey(a, b),
    chatType: 2,
    recvId,
  });
  return fc.oneof(
    unknownId.map((id) => single("a user who does not exist", w.alice.id, id, id)),
    fc.constant({
      ...single("a stranger (asked, not a friend)", w.alice.id, w.carol.id, w.carol.id),
      hers: true,
    }),
    fc.constant({ ...single("a stranger", w.alice.id, w.dave.id, w.dave.id), hers: true }),
    fc.constant(single("two other users", w.bob.id, w.dave.id, w.dave.id)),
    unknownId.map((id) => ({
      what: "a group that does not exist",
      conversationId: id,
      chatType: 1 as const,
      recvId: id,
    })),
    fc.constant({
      what: "a group Alice is not in",
      conversationId: foreignGroupId,
      chatType: 1 as const,
      recvId: foreignGroupId,
    }),
  );
}

/** The HTTP requests about `target` that Alice may send. */
function httpRequests(target: StrangerTarget) {
  const id = encodeURIComponent(target.conversationId);
  const message = { mType: 0, content: "hello?" };
  const emptyRead = target.hers ? { status: 200, data: { list: [] } } : undefined;
  return [
    { method: "GET", path: `/v1/im/chatlog?conversationId=${id}`, emptyRead },
    { method: "GET", path: `/v1/im/chatlog/readRecords?conversationId=${id}&seq=1` },
    {
      method: "PUT",
      path: "/v1/im/conversation",
      body: { conversationList: { [target.conversationId]: { read: 1, isShow: true } } },
      emptyRead: target.hers ? { status: 200, data: {} } : undefined,
    },
    {
      method: "POST",
      path: "/v1/im/setup/conversation",
      body: { recvId: target.recvId, chatType: target.chatType },
    },
    {
      method: "POST",
      path: "/v1/im/chat",
      body: {
        chatType: target.chatType,
        recvId: target.recvId,
        msg: message,
        clientMsgId: crypto.randomUUID(),
      },
    },
  ];
}

describe("no state for strangers (CONTRACT §9)", () => {
  let world: World;
  let foreignGroupId: string;
  let socket: TestSocket;

  beforeAll(async () => {
    world = await buildWorld();
    foreignGroupId = (await createGroup(world.dave, { name: "Dave's" })).id;
    socket = (await connect(world.alice.token)).socket;
  });

  afterAll(() => socket.close());

  // Each case starts with empty limit windows: a refusal here is the access check's, never a 429.
  it("HTTP: 403/404 with the contract's code, and nothing stored", async () => {
    await resetLimits(world);
    const before = await snapshot(world);
    await fc.assert(
      fc.asyncProperty(strangerTargets(world, foreignGroupId), async (target) => {
        for (const request of httpRequests(target)) {
          const answer = await api(request.method, request.path, {
            token: world.alice.token,
            body: request.body,
          });
          const shown = `${target.what}: ${request.method} ${request.path} → ${answer.status} ` +
            JSON.stringify(answer.body);
          if (request.emptyRead && answer.status === 200) {
            expect(answer.body.data, shown).toEqual(request.emptyRead.data);
            continue;
          }
          expect([403, 404], shown).toContain(answer.status);
          expect(answer.body, shown).toEqual({
            code: CODE_FOR_STATUS[answer.status],
            msg: expect.any(String),
            data: null,
          });
          if (target.what === "a user who does not exist") {
            expect(answer.status, shown).toBe(404);
          }
        }
      }),
      { numRuns: RUNS },
    );
    expect(await snapshot(world)).toEqual(before);
  });

  it("WebSocket: an error frame 100005/100006, and nothing stored", async () => {
    await resetLimits(world);
    const before = await snapshot(world);
    await fc.assert(
      fc.asyncProperty(strangerTargets(world, foreignGroupId), async (target) => {
        const requests: [string, unknown][] = [
          [
            "conversation.chat",
            {
              conversationId: target.conversationId,
              chatType: target.chatType,
              recvId: target.recvId,
              msg: { mType: 0, content: "hello?" },
            },
          ],
          ["conversation.markChat", { conversationId: target.conversationId, seq: 1 }],
          ["conversation.typing", { conversationId: target.conversationId }],
        ];
        for (const [method, data] of requests) {
          // Three frames a run, well inside the socket's flood limit at this pace.
          await new Promise((resolve) => setTimeout(resolve, 60));
          const answer = await socket.request(method, data);
          const shown = `${target.what}: ${method} → ${JSON.stringify(answer)}`;
          if (target.hers && method === "conversation.markChat" && answer.frameType === 2) {
            expect(answer.data, shown).toEqual({ conversationId: target.conversationId, read: 0 });
            continue;
          }
          expect(answer.frameType, shown).toBe(9);
          // Naming another pair's chat while addressing Dave is a mismatch: bad input, 100002.
          const codes = target.what === "two other users" && method === "conversation.chat"
            ? [100002]
            : [100005, 100006];
          expect(codes, shown).toContain(answer.data.code);
        }
      }),
      { numRuns: RUNS },
    );
    expect(socket.closeEvent).toBeUndefined();
    expect(await snapshot(world)).toEqual(before);
    // 45 paced frames and two whole snapshots: seconds, more on a busy machine.
  }, 20_000);
});
