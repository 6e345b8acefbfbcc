import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { HEARTBEAT } from "../../shared/protocol/index.ts";
import type { SocketAttachment } from "../../workers/user-session/sockets.ts";
import { createUser } from "../helpers/http.ts";
import { connect } from "../helpers/ws.ts";

/** The server side of the device's socket: its auto-response time and its attachment. */
function serverSide(userId: string, deviceId: string) {
  return runInDurableObject(env.USER_SESSION.getByName(userId), (_instance, state) => {
    const [ws] = state.getWebSockets(`device:${deviceId}`);
    if (!ws) throw new Error(`no socket for device ${deviceId}`);
    return {
      heartbeatAt: state.getWebSocketAutoResponseTimestamp(ws)?.getTime() ?? null,
      attachment: ws.deserializeAttachment() as SocketAttachment,
    };
  });
}

describe("heartbeat", () => {
  it("is answered by the runtime's auto-response without running the message handler", async () => {
    const alice = await createUser("Alice");
    const { socket } = await connect(alice.token, { deviceId: "phone" });
    const before = await serverSide(alice.id, "phone");
    expect(before.heartbeatAt).toBeNull();
    expect(before.attachment.frames).toBe(0);

    socket.send(HEARTBEAT);
    expect(await socket.next()).toEqual({ frameType: 1 });

    const after = await serverSide(alice.id, "phone");
    expect(after.heartbeatAt).not.toBeNull();
    expect(after.heartbeatAt!).toBeGreaterThanOrEqual(before.attachment.connectedAt);
    // The handler counts every frame it sees in the attachment: it never saw this one.
    expect(after.attachment.frames).toBe(0);
    expect(after.attachment.lastMessageAt).toBe(before.attachment.lastMessageAt);
    socket.close();
  });

  it("answers each heartbeat, and the timestamp moves with every one", async () => {
    const alice = await createUser("Alice");
    const { socket } = await connect(alice.token, { deviceId: "phone" });
    socket.send(HEARTBEAT);
    await socket.next();
    const first = (await serverSide(alice.id, "phone")).heartbeatAt!;
    // The timestamp has millisecond resolution: step past it before the second heartbeat.
    await new Promise((resolve) => setTimeout(resolve, 5));
    socket.send(HEARTBEAT);
    expect(await socket.next()).toEqual({ frameType: 1 });
    const second = (await serverSide(alice.id, "phone")).heartbeatAt!;
    expect(second).toBeGreaterThan(first);
    socket.close();
  });

  it("answers a ping spelled differently from the handler, counting it", async () => {
    const alice = await createUser("Alice");
    const { socket } = await connect(alice.token, { deviceId: "phone" });
    socket.send('{ "frameType": 1 }');
    expect(await socket.next()).toEqual({ frameType: 1 });
    const after = await serverSide(alice.id, "phone");
    expect(after.heartbeatAt).toBeNull();
    expect(after.attachment.frames).toBe(1);
    socket.close();
  });
});
