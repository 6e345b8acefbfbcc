/**
 * CONTRACT §15 "Budgets" on the socket side: conversations named by `conversation.sync` (300 a
 * minute per user across sockets, 50 per frame) and socket upgrades (30 a minute per user).
 */
import { describe, expect, it } from "vitest";
import {
  MAX_SYNC_NAMES_PER_FRAME,
  SOCKET_UPGRADES,
  SYNC_CONVERSATIONS,
} from "../../shared/limits.ts";
import { quickUser } from "../helpers/social.ts";
import { connect, openUpgrade } from "../helpers/ws.ts";

/** `count` single-chat ids of `userId` with users that do not exist: each costs a name. */
function strangerConversations(userId: string, count: number): Record<string, number> {
  const names: Record<string, number> = {};
  for (let i = 0; i < count; i += 1) {
    const other = crypto.randomUUID().replaceAll("-", "");
    names[[userId, other].sort().join("_")] = 0;
  }
  return names;
}

describe("conversation.sync budget", () => {
  it(`refuses a frame naming ${MAX_SYNC_NAMES_PER_FRAME + 1} conversations before asking any`, async () => {
    const alice = await quickUser("Alice");
    const { socket } = await connect(alice.token);
    const conversations = strangerConversations(alice.id, MAX_SYNC_NAMES_PER_FRAME + 1);
    const answer = await socket.request("conversation.sync", { conversations });
    expect(answer.frameType).toBe(9);
    expect(answer.data.code).toBe(100008);
    expect(answer.data.msg).toContain(`at most ${MAX_SYNC_NAMES_PER_FRAME} conversations`);
    // Fifty names are let through to the conversations (which refuse a stranger's chat).
    const fifty = strangerConversations(alice.id, MAX_SYNC_NAMES_PER_FRAME);
    const asked = await socket.request("conversation.sync", { conversations: fifty });
    expect(asked.data.code).not.toBe(100008);
    socket.close();
  });

  it(`counts ${SYNC_CONVERSATIONS.limit} names a minute across the user's sockets`, async () => {
    const alice = await quickUser("Alice");
    const bob = await quickUser("Bob");
    const first = (await connect(alice.token)).socket;
    const second = (await connect(alice.token)).socket;
    const frames = SYNC_CONVERSATIONS.limit / MAX_SYNC_NAMES_PER_FRAME;
    for (let i = 0; i < frames; i += 1) {
      const socket = i % 2 === 0 ? first : second;
      const conversations = strangerConversations(alice.id, MAX_SYNC_NAMES_PER_FRAME);
      const answer = await socket.request("conversation.sync", { conversations });
      expect(answer.data.code).not.toBe(100008);
    }
    // One more name, on either socket, is over the budget.
    const over = await second.request("conversation.sync", {
      conversations: strangerConversations(alice.id, 1),
    });
    expect(over.frameType).toBe(9);
    expect(over.data.code).toBe(100008);
    expect(over.data.msg).toMatch(/too many conversations synced.*retry in \d+ s/);
    // A sync naming nothing costs nothing, and another user has a budget of their own.
    expect((await first.request("conversation.sync", { conversations: {} })).frameType).toBe(2);
    const bobSocket = (await connect(bob.token)).socket;
    const bobs = await bobSocket.request("conversation.sync", {
      conversations: strangerConversations(bob.id, 1),
    });
    expect(bobs.data.code).not.toBe(100008);
    for (const socket of [first, second, bobSocket]) socket.close();
  });
});

describe("upgrade budget", () => {
  it(`accepts ${SOCKET_UPGRADES.limit} upgrades a minute, then 429 with Retry-After`, async () => {
    const alice = await quickUser("Alice");
    const bob = await quickUser("Bob");
    for (let i = 0; i < SOCKET_UPGRADES.limit; i += 1) {
      const response = await openUpgrade(alice.token);
      expect(response.status).toBe(101);
      response.webSocket!.accept();
      response.webSocket!.close(1000, "next");
    }
    const refused = await openUpgrade(alice.token);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThan(0);
    const body = await refused.json() as { code: number; msg: string };
    expect(body.code).toBe(100008);
    expect(body.msg).toContain(`at most ${SOCKET_UPGRADES.limit} a minute`);
    // Another user connects as usual.
    const { socket } = await connect(bob.token);
    socket.close();
  });
});
