import { describe, expect, it } from "vitest";
import { MAX_BODY_BYTES } from "../../shared/limits.ts";
import { createUser } from "../helpers/http.ts";
import { connect, type Frame, type TestSocket } from "../helpers/ws.ts";

/** Proof the socket is still open: a valid request gets its ack. */
async function expectAlive(socket: TestSocket): Promise<void> {
  const ack = await socket.request("user.online", {});
  expect(ack).toEqual({ frameType: 2, id: ack.id, data: { onlineList: {} } });
  expect(socket.closeEvent).toBeUndefined();
}

/** The next error frame, then proof the socket still answers a valid request. */
async function errorThenAlive(socket: TestSocket): Promise<Frame> {
  const error = await socket.next((frame) => frame.frameType === 9);
  await expectAlive(socket);
  return error;
}

async function freshSocket() {
  const alice = await createUser("Alice");
  return (await connect(alice.token)).socket;
}

describe("bad frames get an error frame and keep the socket", () => {
  it("not JSON", async () => {
    const socket = await freshSocket();
    socket.send("hello there");
    const error = await errorThenAlive(socket);
    expect(error).toEqual({ frameType: 9, data: { code: 100002, msg: "frame is not JSON" } });
    socket.close();
  });

  it("binary", async () => {
    const socket = await freshSocket();
    socket.send(new TextEncoder().encode('{"frameType":1}').buffer as ArrayBuffer);
    const error = await errorThenAlive(socket);
    expect(error.data.code).toBe(100002);
    expect(error.data.msg).toMatch(/binary/);
    socket.close();
  });

  it("JSON that is not an object", async () => {
    const socket = await freshSocket();
    socket.send("[1,2,3]");
    expect((await errorThenAlive(socket)).data.code).toBe(100002);
    socket.close();
  });

  it("unknown frameType, echoing the id", async () => {
    const socket = await freshSocket();
    socket.send({ frameType: 7, id: "x-1", method: "user.online" });
    const error = await errorThenAlive(socket);
    expect(error.id).toBe("x-1");
    expect(error.data.code).toBe(100002);
    socket.close();
  });

  it("a client sending an ack frame", async () => {
    const socket = await freshSocket();
    socket.send({ frameType: 2, id: "x-2", data: {} });
    const error = await errorThenAlive(socket);
    expect(error).toMatchObject({ id: "x-2", data: { code: 100002 } });
    socket.close();
  });

  it("a request without id", async () => {
    const socket = await freshSocket();
    socket.send({ frameType: 0, method: "user.online", data: {} });
    const error = await errorThenAlive(socket);
    expect(error.id).toBeUndefined();
    expect(error.data.code).toBe(100002);
    expect(error.data.msg).toMatch(/id/);
    socket.close();
  });

  it("a request without method", async () => {
    const socket = await freshSocket();
    socket.send({ frameType: 0, id: "x-3", data: {} });
    const error = await errorThenAlive(socket);
    expect(error).toMatchObject({ id: "x-3", data: { code: 100002 } });
    expect(error.data.msg).toMatch(/method/);
    socket.close();
  });

  it("an unknown method", async () => {
    const socket = await freshSocket();
    const error = await socket.request("user.teleport", {}, "x-4");
    expect(error).toEqual({
      frameType: 9,
      id: "x-4",
      data: { code: 100002, msg: 'unknown method "user.teleport"' },
    });
    await expectAlive(socket);
    socket.close();
  });

  it("a chat method before the messaging service registers it", async () => {
    const socket = await freshSocket();
    const error = await socket.request("conversation.chat", {}, "x-5");
    expect(error).toMatchObject({ frameType: 9, id: "x-5", data: { code: 100002 } });
    socket.close();
  });

  it("wrong data fields, naming the field", async () => {
    const socket = await freshSocket();
    const error = await socket.request("conversation.typing", { conversationId: 42 }, "x-6");
    expect(error).toMatchObject({ frameType: 9, id: "x-6", data: { code: 100002 } });
    expect(error.data.msg).toMatch(/conversationId/);
    const missing = await socket.request("conversation.typing", undefined, "x-7");
    expect(missing).toMatchObject({ frameType: 9, id: "x-7", data: { code: 100002 } });
    await expectAlive(socket);
    socket.close();
  });

  it("a frame over 64 KiB, echoing the id", async () => {
    const socket = await freshSocket();
    const padding = "x".repeat(MAX_BODY_BYTES);
    socket.send({ frameType: 0, id: "x-8", method: "user.online", data: { padding } });
    const error = await errorThenAlive(socket);
    expect(error).toMatchObject({ frameType: 9, id: "x-8", data: { code: 100009 } });
    socket.close();
  });

  it("ignores unknown fields in a valid request", async () => {
    const socket = await freshSocket();
    socket.send({ frameType: 0, id: "x-9", method: "user.online", data: { extra: 1 }, more: 2 });
    const ack = await socket.next((frame) => frame.id === "x-9");
    expect(ack).toEqual({ frameType: 2, id: "x-9", data: { onlineList: {} } });
    socket.close();
  });
});
