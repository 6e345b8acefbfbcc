import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { signAccessToken } from "../../shared/auth/tokens.ts";
import { createUser } from "../helpers/http.ts";
import { connect, openUpgrade } from "../helpers/ws.ts";

async function refusal(response: Response) {
  const body = await response.json<{ code: number; data: unknown }>();
  return { status: response.status, socket: response.webSocket, body };
}

describe("GET /v1/im/ws", () => {
  it("accepts the token in Authorization: Bearer and says session.ready first", async () => {
    const alice = await createUser("Alice");
    const { socket, ready } = await connect(alice.token, { via: "header" });
    expect(ready).toEqual({
      frameType: 0,
      method: "session.ready",
      data: { userId: alice.id, conversations: {} },
    });
    expect(socket.unread()).toEqual([]);
    socket.close();
  });

  it("accepts the token in ?token=", async () => {
    const alice = await createUser("Alice");
    const { socket, ready } = await connect(alice.token, { via: "query" });
    expect(ready.data.userId).toBe(alice.id);
    socket.close();
  });

  it("accepts the token as Sec-WebSocket-Protocol and echoes it", async () => {
    const alice = await createUser("Alice");
    const { socket, ready } = await connect(alice.token, { via: "protocol" });
    expect(ready.data.userId).toBe(alice.id);
    expect(socket.response.headers.get("Sec-WebSocket-Protocol")).toBe(alice.token);
    socket.close();
  });

  it("picks the token out of several offered subprotocols and echoes only it", async () => {
    const alice = await createUser("Alice");
    const response = await openUpgrade(undefined, {
      headers: { "Sec-WebSocket-Protocol": `easy-chat, ${alice.token}` },
    });
    expect(response.status).toBe(101);
    expect(response.headers.get("Sec-WebSocket-Protocol")).toBe(alice.token);
    response.webSocket!.accept();
    response.webSocket!.close(1000, "bye");
  });

  it("refuses a request without a token with 401 and no upgrade", async () => {
    const answer = await refusal(await openUpgrade(undefined));
    expect(answer.status).toBe(401);
    expect(answer.socket).toBeNull();
    expect(answer.body).toMatchObject({ code: 100003, data: null });
  });

  it("refuses a bad token with 401", async () => {
    const answer = await refusal(await openUpgrade("not.a.token", { via: "header" }));
    expect(answer.status).toBe(401);
    expect(answer.socket).toBeNull();
    expect(answer.body.code).toBe(100003);
  });

  it("refuses an expired token with 401", async () => {
    const alice = await createUser("Alice");
    const longAgo = Math.floor(Date.now() / 1000) - 7200;
    const { token } = await signAccessToken(alice.id, {
      secret: env.JWT_SECRET,
      ttlSeconds: 60,
    }, longAgo);
    const answer = await refusal(await openUpgrade(token, { via: "query" }));
    expect(answer.status).toBe(401);
    expect(answer.socket).toBeNull();
    expect(answer.body.code).toBe(100003);
  });

  it("refuses a bad subprotocol token with 401", async () => {
    const answer = await refusal(await openUpgrade("aaa.bbb.ccc", { via: "protocol" }));
    expect(answer.status).toBe(401);
    expect(answer.socket).toBeNull();
  });

  it("answers a plain GET (no upgrade) with 426 and the envelope", async () => {
    const alice = await createUser("Alice");
    const response = await openUpgrade(alice.token, { headers: { Upgrade: "" } });
    expect(response.status).toBe(426);
    expect(await response.json()).toMatchObject({ code: 100002, data: null });
  });

  it("refuses an invalid deviceId with 400", async () => {
    const alice = await createUser("Alice");
    const answer = await refusal(await openUpgrade(alice.token, { deviceId: "bad device!" }));
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe(100002);
  });
});
