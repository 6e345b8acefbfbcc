import { abortAllDurableObjects } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createUser } from "../helpers/http.ts";
import { makeFriends } from "../helpers/social.ts";
import { connect } from "../helpers/ws.ts";

describe("the session object restarting", () => {
  it("closes the sockets; the client reconnects cleanly and gets session.ready", async () => {
    const alice = await createUser("Alice");
    const bob = await createUser("Bob");
    await makeFriends(alice, bob);
    const first = await connect(alice.token, { deviceId: "phone" });
    const { socket: bobSocket } = await connect(bob.token);

    await abortAllDurableObjects();
    const closed = await first.socket.closed();
    expect(closed.code).not.toBe(4002);

    const again = await connect(alice.token, { deviceId: "phone" });
    expect(again.ready).toEqual({
      frameType: 0,
      method: "session.ready",
      data: { userId: alice.id, conversations: {} },
    });
    const session = env.USER_SESSION.getByName(alice.id);
    expect(await session.socketCount()).toBe(1);
    // Bob's socket went down with the abort too; Alice sees him offline until he returns.
    expect((await again.socket.request("user.online", {})).data.onlineList[bob.id]).toBe(false);
    const back = await connect(bob.token);
    expect((await again.socket.request("user.online", {})).data.onlineList[bob.id]).toBe(true);
    again.socket.close();
    back.socket.close();
    bobSocket.close();
  });
});
