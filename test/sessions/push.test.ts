import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { ChatLog } from "../../shared/chat/schemas.ts";
import { pushFrame } from "../../shared/protocol/index.ts";
import { createUser } from "../helpers/http.ts";
import { connect } from "../helpers/ws.ts";

const message: ChatLog = {
  msgId: "m1",
  conversationId: "g1",
  chatType: 1,
  sendId: "sender-id",
  recvId: "g1",
  seq: 1,
  mType: 0,
  content: "hi",
  sendTime: 0,
  status: 0,
  editTime: 0,
  replyTo: null,
  mentions: [],
  media: null,
};

describe("UserSession RPC", () => {
  it("push() sends a frame to every socket and says how many got it", async () => {
    const alice = await createUser("Alice");
    const phone = await connect(alice.token, { deviceId: "phone" });
    const laptop = await connect(alice.token, { deviceId: "laptop" });
    const frame = pushFrame("push", message);

    expect(await env.USER_SESSION.getByName(alice.id).push(frame)).toBe(2);
    const expected = {
      frameType: 0,
      method: "push",
      formId: "sender-id",
      data: message,
    };
    expect(await phone.socket.next((f) => f.method === "push")).toEqual(expected);
    expect(await laptop.socket.next((f) => f.method === "push")).toEqual(expected);
    phone.socket.close();
    laptop.socket.close();
  });

  it("push() to a user without sockets delivers to none", async () => {
    const alice = await createUser("Alice");
    const session = env.USER_SESSION.getByName(alice.id);
    expect(await session.push(pushFrame("push", message))).toBe(0);
    expect(await session.socketCount()).toBe(0);
  });

  it("socketCount() follows the sockets", async () => {
    const alice = await createUser("Alice");
    const session = env.USER_SESSION.getByName(alice.id);
    const { socket } = await connect(alice.token);
    expect(await session.socketCount()).toBe(1);
    socket.close(1000, "bye");
    await socket.closed();
    expect(await session.socketCount()).toBe(0);
  });

  it("refuses an upgrade forwarded to another user's object", async () => {
    const alice = await createUser("Alice");
    const bob = await createUser("Bob");
    const response = await env.USER_SESSION.getByName(bob.id).fetch(
      new Request("https://user-session/connect", {
        headers: { Upgrade: "websocket", "X-Session-Token": alice.token },
      }),
    );
    expect(response.status).toBe(403);
    expect(response.webSocket).toBeNull();
  });

  it("verifies the token again, whatever the caller says", async () => {
    const alice = await createUser("Alice");
    const response = await env.USER_SESSION.getByName(alice.id).fetch(
      new Request("https://user-session/connect", {
        headers: { Upgrade: "websocket", "X-Session-Token": "forged.token.value" },
      }),
    );
    expect(response.status).toBe(401);
    expect(response.webSocket).toBeNull();
  });
});
