import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createUser } from "../helpers/http.ts";
import { connect } from "../helpers/ws.ts";

describe("client closes", () => {
  it("are closed back with the client's own code", async () => {
    const alice = await createUser("Alice");
    const { socket } = await connect(alice.token);
    socket.ws.close(4100, "switching rooms");
    expect(await socket.closed()).toEqual({ code: 4100, reason: "switching rooms" });
    expect(await env.USER_SESSION.getByName(alice.id).socketCount()).toBe(0);
  });

  it("without a code (1005 on the server, which cannot be sent) are closed back with 1000", async () => {
    const alice = await createUser("Alice");
    const { socket } = await connect(alice.token);
    socket.ws.close();
    expect((await socket.closed()).code).toBe(1000);
    expect(await env.USER_SESSION.getByName(alice.id).socketCount()).toBe(0);
  });
});

describe("GET /openapi.json", () => {
  it("documents the WebSocket and presence routes", async () => {
    const response = await exports.default.fetch("https://chat.test/openapi.json");
    const doc = await response.json<{ paths: Record<string, unknown> }>();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        "/v1/im/ws",
        "/v1/social/friends/online",
        "/v1/social/group/users/online",
      ]),
    );
  });
});
