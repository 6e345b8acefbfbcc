import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { MAX_SOCKETS_PER_USER } from "../../shared/limits.ts";
import { createUser } from "../helpers/http.ts";
import { connect, type TestSocket } from "../helpers/ws.ts";

describe("sockets per user", () => {
  it(`holds ${MAX_SOCKETS_PER_USER}; the next one closes the oldest with 4002`, async () => {
    const alice = await createUser("Alice");
    const sockets: TestSocket[] = [];
    for (let i = 0; i < MAX_SOCKETS_PER_USER; i += 1) {
      sockets.push((await connect(alice.token, { deviceId: `device-${i}` })).socket);
    }
    const session = env.USER_SESSION.getByName(alice.id);
    expect(await session.socketCount()).toBe(MAX_SOCKETS_PER_USER);
    expect(sockets.every((socket) => socket.closeEvent === undefined)).toBe(true);

    const ninth = await connect(alice.token, { deviceId: "device-8" });
    expect(await sockets[0]!.closed()).toEqual({
      code: 4002,
      reason: "replaced by a newer connection",
    });
    expect(await session.socketCount()).toBe(MAX_SOCKETS_PER_USER);
    for (const socket of [...sockets.slice(1), ninth.socket]) {
      expect((await socket.request("user.online", {})).frameType).toBe(2);
    }
    for (const socket of [...sockets, ninth.socket]) socket.close();
  });

  it("replaces the same device's previous socket with 4002", async () => {
    const alice = await createUser("Alice");
    const first = await connect(alice.token, { deviceId: "phone" });
    const laptop = await connect(alice.token, { deviceId: "laptop" });
    const second = await connect(alice.token, { deviceId: "phone" });
    expect((await first.socket.closed()).code).toBe(4002);
    expect(await env.USER_SESSION.getByName(alice.id).socketCount()).toBe(2);
    expect(laptop.socket.closeEvent).toBeUndefined();
    expect((await second.socket.request("user.online", {})).frameType).toBe(2);
    laptop.socket.close();
    second.socket.close();
  });

  it("keeps each user's sockets apart", async () => {
    const alice = await createUser("Alice");
    const bob = await createUser("Bob");
    const a = await connect(alice.token, { deviceId: "phone" });
    const b = await connect(bob.token, { deviceId: "phone" });
    expect(a.ready.data.userId).toBe(alice.id);
    expect(b.ready.data.userId).toBe(bob.id);
    expect(a.socket.closeEvent).toBeUndefined();
    expect(await env.USER_SESSION.getByName(alice.id).socketCount()).toBe(1);
    a.socket.close();
    b.socket.close();
  });
});
