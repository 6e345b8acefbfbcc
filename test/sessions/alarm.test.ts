import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { HEARTBEAT } from "../../shared/protocol/index.ts";
import type { SocketAttachment } from "../../workers/user-session/sockets.ts";
import { createUser } from "../helpers/http.ts";
import { connect } from "../helpers/ws.ts";

const IDLE_MS = Number(env.IDLE_TIMEOUT_SECONDS) * 1000;

/** Rewrites a device's attachment inside the object, as if time had passed. */
function rewind(userId: string, deviceId: string, patch: (a: SocketAttachment) => void) {
  return runInDurableObject(env.USER_SESSION.getByName(userId), (_instance, state) => {
    const [ws] = state.getWebSockets(`device:${deviceId}`);
    if (!ws) throw new Error(`no socket for device ${deviceId}`);
    const attachment = ws.deserializeAttachment() as SocketAttachment;
    patch(attachment);
    ws.serializeAttachment(attachment);
  });
}

function scheduledAlarm(userId: string) {
  return runInDurableObject(
    env.USER_SESSION.getByName(userId),
    (_instance, state) => state.storage.getAlarm(),
  );
}

/** Makes a socket look silent since `IDLE_MS + 1 s` ago. */
function silentSince(a: SocketAttachment): void {
  const past = Date.now() - IDLE_MS - 1000;
  a.connectedAt = past;
  a.lastMessageAt = past;
}

describe("UserSession alarm", () => {
  it("is armed while a socket is open, for no later than the idle timeout", async () => {
    const alice = await createUser("Alice");
    const { socket, ready } = await connect(alice.token);
    expect(ready.method).toBe("session.ready");
    const alarm = await scheduledAlarm(alice.id);
    expect(alarm).not.toBeNull();
    expect(alarm!).toBeLessThanOrEqual(Date.now() + IDLE_MS);
    socket.close();
  });

  it("closes a silent socket with 4000 idle", async () => {
    const alice = await createUser("Alice");
    const { socket } = await connect(alice.token, { deviceId: "phone" });
    await rewind(alice.id, "phone", silentSince);
    expect(await runDurableObjectAlarm(env.USER_SESSION.getByName(alice.id))).toBe(true);
    expect(await socket.closed()).toEqual({ code: 4000, reason: "idle" });
  });

  it("keeps a socket whose heartbeats kept it alive, and re-arms", async () => {
    const alice = await createUser("Alice");
    const { socket } = await connect(alice.token, { deviceId: "phone" });
    await rewind(alice.id, "phone", silentSince);
    // Only the runtime sees this heartbeat; the alarm must read its timestamp.
    socket.send(HEARTBEAT);
    await socket.next();
    expect(await runDurableObjectAlarm(env.USER_SESSION.getByName(alice.id))).toBe(true);
    const answer = await socket.request("user.online", {});
    expect(answer.frameType).toBe(2);
    expect(socket.closeEvent).toBeUndefined();
    expect(await scheduledAlarm(alice.id)).not.toBeNull();
    socket.close();
  });

  it("closes a socket whose token expired with 4001, keeping the others", async () => {
    const alice = await createUser("Alice");
    const phone = await connect(alice.token, { deviceId: "phone" });
    const laptop = await connect(alice.token, { deviceId: "laptop" });
    await rewind(alice.id, "phone", (a) => {
      a.expire = Math.floor(Date.now() / 1000) - 1;
    });
    expect(await runDurableObjectAlarm(env.USER_SESSION.getByName(alice.id))).toBe(true);
    expect(await phone.socket.closed()).toEqual({ code: 4001, reason: "token expired" });
    expect((await laptop.socket.request("user.online", {})).frameType).toBe(2);
    expect(await scheduledAlarm(alice.id)).not.toBeNull();
    laptop.socket.close();
  });

  it("closes an expired socket with 4001 when it next sends", async () => {
    const alice = await createUser("Alice");
    const { socket } = await connect(alice.token, { deviceId: "phone" });
    await rewind(alice.id, "phone", (a) => {
      a.expire = Math.floor(Date.now() / 1000) - 1;
    });
    socket.send({ frameType: 0, id: "late", method: "user.online", data: {} });
    expect(await socket.closed()).toEqual({ code: 4001, reason: "token expired" });
  });

  it("is removed once the last socket has gone", async () => {
    const alice = await createUser("Alice");
    const { socket } = await connect(alice.token, { deviceId: "phone" });
    await rewind(alice.id, "phone", silentSince);
    await runDurableObjectAlarm(env.USER_SESSION.getByName(alice.id));
    await socket.closed();
    expect(await scheduledAlarm(alice.id)).toBeNull();
    expect(await runDurableObjectAlarm(env.USER_SESSION.getByName(alice.id))).toBe(false);
  });

  it("is removed when the client closes its last socket", async () => {
    const alice = await createUser("Alice");
    const { socket } = await connect(alice.token, { deviceId: "phone" });
    socket.close(1000, "bye");
    expect(await socket.closed()).toEqual({ code: 1000, reason: "bye" });
    expect(await scheduledAlarm(alice.id)).toBeNull();
  });
});
