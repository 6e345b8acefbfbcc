// CONTRACT §14 `presence`: a user's first socket opening and last one closing reach their
// friends' open sockets, at most once per friend per 10 s, and never a friend the user blocks.
import { afterEach, describe, expect, it } from "vitest";
import { PRESENCE_PUSH_INTERVAL_MS } from "../../shared/limits.ts";
import { api } from "../helpers/http.ts";
import { makeFriends, quickUser } from "../helpers/social.ts";
import { type Frame, SocketPool, type TestSocket } from "../helpers/ws.ts";

const sockets = new SocketPool();
afterEach(sockets.closeAll);

const isPresence = (frame: Frame) => frame.frameType === 0 && frame.method === "presence";

function presenceFrames(socket: TestSocket): Frame[] {
  return socket.unread().filter(isPresence);
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Opens and closes a socket of `user`, waiting for the server's close back. */
async function visit(user: { token: string }): Promise<void> {
  const socket = await sockets.connect(user);
  socket.close();
  await socket.closed();
}

describe("presence pushes", () => {
  it(
    "tell a friend once, then hold changes within 10 s and send the state at the end",
    async () => {
      const [alice, friend, stranger] = await Promise.all([
        quickUser("Alice"),
        quickUser("Friend"),
        quickUser("Stranger"),
      ]);
      await makeFriends(alice, friend);
      const friendWs = await sockets.connect(friend);
      const strangerWs = await sockets.connect(stranger);

      const aliceWs = await sockets.connect(alice);
      const first = await friendWs.next(isPresence);
      const firstAt = Date.now();
      expect(first.data).toEqual({ userId: alice.id, online: true });

      // Within the interval: gone, back, gone again — friends hear nothing yet.
      aliceWs.close();
      await aliceWs.closed();
      await visit(alice);
      await pause(1000);
      expect(presenceFrames(friendWs)).toEqual([]);

      // At the interval's end, the state then (offline), once.
      const last = await friendWs.next(isPresence, PRESENCE_PUSH_INTERVAL_MS + 3000);
      expect(last.data).toEqual({ userId: alice.id, online: false });
      expect(Date.now() - firstAt).toBeGreaterThanOrEqual(PRESENCE_PUSH_INTERVAL_MS - 500);
      await pause(500);
      expect(presenceFrames(friendWs)).toEqual([]);
      expect(presenceFrames(strangerWs)).toEqual([]);
    },
    30_000,
  );

  it("never tell a friend the user blocks, while other friends hear", async () => {
    const [alice, blocked, friend] = await Promise.all([
      quickUser("Alice"),
      quickUser("Blocked"),
      quickUser("Friend"),
    ]);
    await makeFriends(alice, blocked);
    await makeFriends(alice, friend);
    const block = await api("POST", "/v1/social/block", {
      token: alice.token,
      body: { userId: blocked.id },
    });
    expect(block.status).toBe(200);
    const blockedWs = await sockets.connect(blocked);
    const friendWs = await sockets.connect(friend);

    await sockets.connect(alice);
    expect((await friendWs.next(isPresence)).data).toEqual({ userId: alice.id, online: true });
    // Both pushes leave together; give the blocked friend's the same time and more.
    await pause(500);
    expect(presenceFrames(blockedWs)).toEqual([]);
  });
});
