// CONTRACT §6/§7.6: a handler that fails inside (not a domain error) answers its request with
// 100001 "internal error" — no SQL, no stack — and the socket stays open for the next request.
// The failure is made black-box: this file's own D1 (storage is isolated per test file) loses
// the table `user.online` reads.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { friendsPair } from "../helpers/chat.ts";
import { connect } from "../helpers/ws.ts";

describe("a request whose handler fails inside", () => {
  it("gets 100001 internal error and the socket keeps answering", async () => {
    const { alice, bob } = await friendsPair();
    const { socket } = await connect(alice.token);
    const healthy = await socket.request("user.online", {});
    expect(healthy.data).toEqual({ onlineList: { [bob.id]: false } });

    await env.DB.exec("DROP TABLE friends");
    const failed = await socket.request("user.online", {}, "boom-1");
    expect(failed).toEqual({
      frameType: 9,
      id: "boom-1",
      data: { code: 100001, msg: "internal error" },
    });
    expect(socket.closeEvent).toBeUndefined();

    // The same socket answers the next requests: another method, and the failing one again.
    const synced = await socket.request("conversation.sync", { conversations: {} }, "after-1");
    expect(synced).toEqual({ frameType: 2, id: "after-1", data: { conversations: {} } });
    const again = await socket.request("user.online", {}, "boom-2");
    expect(again).toEqual({
      frameType: 9,
      id: "boom-2",
      data: { code: 100001, msg: "internal error" },
    });
    expect(socket.unread()).toEqual([]);
    expect(socket.closeEvent).toBeUndefined();
    socket.close();
  });
});
