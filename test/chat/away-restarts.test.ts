// A member who is away when either object restarts.
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { conversationOf, friendsPair, isPush, sendText } from "../helpers/chat.ts";
import type { TestUser } from "../helpers/http.ts";
import { abortInstance } from "../helpers/restarts.ts";
import { connect } from "../helpers/ws.ts";

afterEach(() => {
  vi.restoreAllMocks();
});

/**
 * Bob connects: `session.ready` counts `seq` messages, and the next one is pushed to his socket
 * live.
 */
async function expectReadyThenLive(
  alice: TestUser,
  bob: TestUser,
  conversationId: string,
  seq: number,
): Promise<void> {
  const { socket, ready } = await connect(bob.token);
  try {
    expect(ready.data.conversations[conversationId]).toMatchObject({ seq, unread: seq });
    await sendText(alice, bob.id, "live");
    expect((await socket.next(isPush)).data.content).toBe("live");
  } finally {
    socket.close();
  }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 200));

describe("restarts while a member is away", () => {
  it("the session aborted with an away mark catches up before session.ready", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    await sendText(alice, bob.id, "m1");
    await settle();
    await sendText(alice, bob.id, "m2");
    await sendText(alice, bob.id, "m3");
    await abortInstance(env.USER_SESSION.getByName(bob.id));
    await expectReadyThenLive(alice, bob, conversationId, 3);
  });

  it("the conversation aborted while the member is away: the next send tells the session", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    await sendText(alice, bob.id, "m1");
    await settle();
    await sendText(alice, bob.id, "m2");
    await abortInstance(env.CONVERSATION.getByName(conversationId));
    await sendText(alice, bob.id, "m3");
    await settle();
    expect(await conversationOf(bob, conversationId)).toMatchObject({ seq: 3, unread: 3 });
    await expectReadyThenLive(alice, bob, conversationId, 3);
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
    await expectReadyThenLive(alice, bob, conversationId, 3);
  });
});
