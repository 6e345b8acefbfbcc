// A member who is away when either object restarts.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { conversationOf, friendsPair, isPush, sendText } from "../helpers/chat.ts";
import { connect } from "../helpers/ws.ts";

afterEach(() => {
  vi.restoreAllMocks();
});

async function abort(stub: DurableObjectStub): Promise<void> {
  await expect(runInDurableObject(stub, (_instance, state) => {
    state.abort("killed while away");
  })).rejects.toThrow(/killed while away/);
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 200));

describe("restarts while a member is away", () => {
  it("the session aborted with an away mark catches up at start", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    await sendText(alice, bob.id, "m1");
    await settle();
    await sendText(alice, bob.id, "m2");
    await sendText(alice, bob.id, "m3");
    await abort(env.USER_SESSION.getByName(bob.id));
    const { socket, ready } = await connect(bob.token);
    try {
      expect(ready.data.conversations[conversationId]).toMatchObject({ seq: 3, unread: 3 });
      await sendText(alice, bob.id, "m4");
      expect((await socket.next(isPush)).data.content).toBe("m4");
    } finally {
      socket.close();
    }
  });

  it("the conversation aborted while the member is away: the next send tells the session", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    await sendText(alice, bob.id, "m1");
    await settle();
    await sendText(alice, bob.id, "m2");
    await abort(env.CONVERSATION.getByName(conversationId));
    await sendText(alice, bob.id, "m3");
    await settle();
    expect(await conversationOf(bob, conversationId)).toMatchObject({ seq: 3, unread: 3 });
    const { socket, ready } = await connect(bob.token);
    try {
      expect(ready.data.conversations[conversationId]).toMatchObject({ seq: 3, unread: 3 });
      await sendText(alice, bob.id, "m4");
      expect((await socket.next(isPush)).data.content).toBe("m4");
    } finally {
      socket.close();
    }
  });

  it("a socket that closes between a receipt and the next message", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const first = await connect(bob.token);
    await sendText(alice, bob.id, "m1");
    expect((await first.socket.next(isPush)).data.content).toBe("m1");
    first.socket.close();
    await first.socket.closed();
    await sendText(alice, bob.id, "m2");
    await sendText(alice, bob.id, "m3");
    const { socket, ready } = await connect(bob.token);
    try {
      expect(ready.data.conversations[conversationId]).toMatchObject({ seq: 3, unread: 3 });
      await sendText(alice, bob.id, "m4");
      expect((await socket.next(isPush)).data.content).toBe("m4");
    } finally {
      socket.close();
    }
  });
});
