// Who gets a Web Push (CONTRACT §12): a member with no open socket when a message reaches them,
// never the sender, nobody with a socket open. Each push arrives at a real endpoint on 127.0.0.1
// (receiver.ts), which checks its VAPID JWT and decrypts it with the device's private key.
import { afterEach, describe, expect, it } from "vitest";
import { friendsPair, sendText } from "../helpers/chat.ts";
import { api } from "../helpers/http.ts";
import { bytesOf, sendMedia, uploaded } from "../helpers/media.ts";
import { SocketPool } from "../helpers/ws.ts";
import { COALESCE_MS, pause, pushesTo, subscribedDevice, waitForPushes } from "./devices.ts";

const sockets = new SocketPool();
afterEach(() => sockets.closeAll());

/** Long enough for a push that should not come to have come (the queue batches within 1 s). */
const QUIET_MS = 2_000;

describe("a message to a member with no socket", () => {
  it("is pushed to their device: signed with the server's VAPID key, decrypted with theirs", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const device = await subscribedDevice(bob);
    await sendText(alice, bob.id, "hello from Alice");
    const [push] = await waitForPushes(device, 1);
    const key = await api("GET", "/v1/push/key");
    expect(push!.vapid).toMatchObject({
      key: key.body.data.vapidPublicKey,
      sub: "mailto:push-tests@easy-chat.test",
    });
    expect(push!.payload).toEqual({
      type: "message",
      conversationId,
      chatType: 2,
      sendId: alice.id,
      senderName: "Alice",
      preview: "hello from Alice",
      seq: 1,
      count: 1,
      unread: 1,
    });
    // A single chat is urgent; a day to live; a Topic so a newer push replaces it.
    expect(push!.headers).toMatchObject({ ttl: "86400", urgency: "high", encoding: "aes128gcm" });
    expect(push!.headers.topic).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });

  it("is not pushed to its sender, who has no socket either", async () => {
    const { alice, bob } = await friendsPair();
    const aliceDevice = await subscribedDevice(alice);
    const bobDevice = await subscribedDevice(bob);
    await sendText(alice, bob.id, "from Alice over HTTP");
    await waitForPushes(bobDevice, 1);
    await pause(QUIET_MS);
    expect(await pushesTo(aliceDevice)).toEqual([]);
  });

  it("is not pushed while the member has a socket open", async () => {
    const { alice, bob } = await friendsPair();
    const device = await subscribedDevice(bob);
    const socket = await sockets.connect(bob);
    await sendText(alice, bob.id, "you are online");
    await socket.next((frame) => frame.method === "push");
    await pause(QUIET_MS);
    expect(await pushesTo(device)).toEqual([]);
  });

  it(
    "is pushed after the member's own message went out from a device without a socket",
    async () => {
      const { alice, bob } = await friendsPair();
      const device = await subscribedDevice(bob);
      // Bob's own message reaches his session with no socket: the conversation calls him no more
      // this absence, so the session asks it again at a window's end.
      await sendText(bob, alice.id, "from Bob's script");
      await pause(300);
      await sendText(alice, bob.id, "answer to Bob");
      const [push] = await waitForPushes(device, 1, COALESCE_MS * 2);
      expect(push!.payload).toMatchObject({ seq: 2, count: 1, preview: "answer to Bob" });
    },
    15_000,
  );

  it("previews an image by its label and caption, never its bytes", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const device = await subscribedDevice(bob);
    const media = await uploaded(alice, conversationId, bytesOf("image/png"), {
      kind: "image",
      mime: "image/png",
    });
    const sent = await sendMedia(alice, bob.id, 1, { mediaId: media.mediaId }, "the lake");
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    const [push] = await waitForPushes(device, 1);
    expect(push!.payload).toMatchObject({ preview: "[image] the lake", count: 1 });
  });

  it("is pushed to every device of the member", async () => {
    const { alice, bob } = await friendsPair();
    const phone = await subscribedDevice(bob);
    const laptop = await subscribedDevice(bob);
    await sendText(alice, bob.id, "both devices");
    for (const device of [phone, laptop]) {
      const [push] = await waitForPushes(device, 1);
      expect(push!.payload).toMatchObject({ preview: "both devices" });
    }
  });
});
