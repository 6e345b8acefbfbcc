// A hibernated socket across a real eviction of its UserSession (instance torn down, storage
// kept, socket hibernated): it keeps working, and its per-socket state — the attachment — comes
// back exactly as it was, so counters, rate bucket, idle and expiry carry on from it.
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { FRAME_BURST } from "../../shared/limits.ts";
import type { SocketAttachment } from "../../workers/user-session/sockets.ts";
import { friendsPair, isPush, sendText } from "../helpers/chat.ts";
import { instanceOf } from "../helpers/restarts.ts";
import { connect } from "../helpers/ws.ts";

const IDLE_MS = Number(env.IDLE_TIMEOUT_SECONDS) * 1000;

/** The attachments of the session's sockets, read inside the object. */
function attachments(userId: string): Promise<SocketAttachment[]> {
  return runInDurableObject(
    env.USER_SESSION.getByName(userId),
    (_instance, state) =>
      state.getWebSockets().map((ws) => ws.deserializeAttachment() as SocketAttachment),
  );
}

function scheduledAlarm(userId: string) {
  return runInDurableObject(
    env.USER_SESSION.getByName(userId),
    (_instance, state) => state.storage.getAlarm(),
  );
}

/** Evicts the session (sockets hibernated) and checks nothing is left running. */
async function evict(userId: string): Promise<void> {
  const session = env.USER_SESSION.getByName(userId);
  await evictDurableObject(session, { webSockets: "hibernate" });
  await expect(evictDurableObject(session)).rejects.toThrow(/not currently running/);
}

describe("a hibernated socket across an eviction", () => {
  it("keeps its attachment, answers requests and gets pushes from a new instance", async () => {
    const { alice, bob } = await friendsPair();
    const { socket } = await connect(alice.token, { deviceId: "phone" });
    // Move the attachment: three requests and a bad frame reach the object.
    for (let i = 0; i < 3; i++) expect((await socket.request("user.online", {})).frameType).toBe(2);
    socket.send("not json");
    expect((await socket.next((frame) => frame.frameType === 9)).data.code).toBe(100002);
    const session = env.USER_SESSION.getByName(alice.id);
    const before = await instanceOf(session);
    const [kept] = await attachments(alice.id);
    expect(kept).toMatchObject({ userId: alice.id, deviceId: "phone", frames: 4, flooded: false });
    expect(kept!.bucket.tokens).toBeLessThan(FRAME_BURST);
    expect(kept!.lastMessageAt).toBeGreaterThan(kept!.connectedAt);
    const alarm = await scheduledAlarm(alice.id);

    await evict(alice.id);
    expect(socket.closeEvent).toBeUndefined();
    // A new instance, the same socket with the same attachment, the alarm still set.
    expect(await attachments(alice.id)).toEqual([kept]);
    expect(await instanceOf(session)).not.toBe(before);
    expect(await scheduledAlarm(alice.id)).toBe(alarm);

    // The socket still answers, and its counters carry on from the attachment.
    await evict(alice.id);
    const ack = await socket.request("user.online", {});
    expect(ack).toEqual({ frameType: 2, id: ack.id, data: { onlineList: { [bob.id]: false } } });
    const [after] = await attachments(alice.id);
    expect(after).toMatchObject({ socketId: kept!.socketId, connectedAt: kept!.connectedAt });
    expect(after!.frames).toBe(kept!.frames + 1);
    expect(after!.bucket.updatedAt).toBeGreaterThan(kept!.bucket.updatedAt);
    expect(after!.lastMessageAt).toBeGreaterThan(kept!.lastMessageAt);

    // A push (a delivery waking the session) reaches the hibernated socket.
    await evict(alice.id);
    const sent = await sendText(bob, alice.id, "wake up");
    expect((await socket.next(isPush)).data).toMatchObject({ msgId: sent.msgId, seq: 1 });
    expect(socket.closeEvent).toBeUndefined();
    socket.close();
  });

  it("idle and expiry still run off the attachment after an eviction", async () => {
    const { alice } = await friendsPair();
    const phone = await connect(alice.token, { deviceId: "phone" });
    const laptop = await connect(alice.token, { deviceId: "laptop" });
    await phone.socket.request("user.online", {});
    await evict(alice.id);

    // The alarm, run by a new instance, closes nothing yet and re-arms from the attachments.
    expect(await runDurableObjectAlarm(env.USER_SESSION.getByName(alice.id))).toBe(true);
    const states = await attachments(alice.id);
    const due = Math.min(
      ...states.map((a) =>
        Math.min(a.expire * 1000, Math.max(a.connectedAt, a.lastMessageAt) + IDLE_MS)
      ),
    );
    expect(await scheduledAlarm(alice.id)).toBe(due);
    expect(phone.socket.closeEvent).toBeUndefined();

    // Write "silent for too long" into one attachment and "token expired" into the other, evict,
    // and let a fresh instance's alarm judge them from what it reads back.
    await runInDurableObject(env.USER_SESSION.getByName(alice.id), (_instance, state) => {
      const past = Date.now() - IDLE_MS - 1000;
      for (const ws of state.getWebSockets()) {
        const attachment = ws.deserializeAttachment() as SocketAttachment;
        if (attachment.deviceId === "phone") {
          attachment.connectedAt = past;
          attachment.lastMessageAt = past;
        } else {
          attachment.expire = Math.floor(Date.now() / 1000) - 1;
        }
        ws.serializeAttachment(attachment);
      }
    });
    await evict(alice.id);
    expect(await runDurableObjectAlarm(env.USER_SESSION.getByName(alice.id))).toBe(true);
    expect(await phone.socket.closed()).toEqual({ code: 4000, reason: "idle" });
    expect(await laptop.socket.closed()).toEqual({ code: 4001, reason: "token expired" });
    expect(await scheduledAlarm(alice.id)).toBeNull();
  });
});
