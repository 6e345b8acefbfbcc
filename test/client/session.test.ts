/**
 * ChatSession against the real Worker and its Durable Objects: resync after a reconnect, each
 * message once and in order (also when the network loses one), the outbox's resend under the
 * same frame id (stored once), backoff on refused connects, and a clean stop on 4003.
 */
import { describe, expect, it } from "vitest";
import { chatlog, friendsPair, sendText } from "../helpers/chat.ts";
import { api } from "../helpers/http.ts";
import {
  nextReady as ready,
  received,
  sessionStarter,
  type TappedSocket,
  until,
  waitFor,
} from "../helpers/sdk.ts";

const started = sessionStarter();

describe("ChatSession", () => {
  it("hands over live messages once each, in seq order", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const session = started(alice.token);
    const messages = received(session);
    await ready(session);
    for (const text of ["one", "two", "three"]) await sendText(bob, alice.id, text);
    await until(() => messages.length === 3, "three messages");
    expect(messages.map((m) => [m.conversationId, m.seq, m.content])).toEqual([
      [conversationId, 1, "one"],
      [conversationId, 2, "two"],
      [conversationId, 3, "three"],
    ]);
  });

  it("resyncs after a reconnect: what was sent meanwhile arrives once, in order", async () => {
    const { alice, bob } = await friendsPair();
    const session = started(alice.token);
    const messages = received(session);
    await ready(session);
    await sendText(bob, alice.id, "before");
    await until(() => messages.length === 1, "the first message");

    const back = ready(session);
    session.dropConnection();
    await waitFor(session.on.bind(session, "state"), (state) => state === "reconnecting");
    for (const text of ["while-1", "while-2", "while-3"]) await sendText(bob, alice.id, text);
    await back;
    await until(() => messages.length === 4, "the missed messages");
    await sendText(bob, alice.id, "after");
    await until(() => messages.length === 5, "the live message after");
    expect(messages.map((m) => `${m.seq}:${m.content}`)).toEqual([
      "1:before",
      "2:while-1",
      "3:while-2",
      "4:while-3",
      "5:after",
    ]);
  });

  it("fills a gap left by a lost push with a sync, holding later messages back", async () => {
    const { alice, bob } = await friendsPair();
    const lostSeq = 2;
    let lost = 0;
    const session = started(alice.token, {
      tap: (text) => {
        const frame = JSON.parse(text);
        if (frame.method === "push" && frame.data.seq === lostSeq && lost === 0) {
          lost += 1;
          return "drop";
        }
        return "deliver";
      },
    });
    const messages = received(session);
    await ready(session);
    for (const text of ["a", "b", "c"]) await sendText(bob, alice.id, text);
    await until(() => messages.length === 3, "all three messages");
    expect(lost).toBe(1);
    expect(messages.map((m) => `${m.seq}:${m.content}`)).toEqual(["1:a", "2:b", "3:c"]);
  });

  it("resends an unacked send with the same frame id: one message stored, one ack", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const opened: TappedSocket[] = [];
    let droppedAcks = 0;
    const session = started(alice.token, {
      opened,
      // The first chat ack is lost with its connection: the message is stored, the ack is not seen.
      tap: (text, socket) => {
        const frame = JSON.parse(text);
        if (frame.frameType === 2 && frame.data?.seq !== undefined && droppedAcks === 0) {
          droppedAcks += 1;
          socket.close(4000, "test: ack lost");
          return "drop";
        }
        return "deliver";
      },
    });
    await ready(session);
    const ack = await session.send({
      chatType: 2,
      recvId: bob.id,
      msg: { mType: 0, content: "once" },
    });
    expect(droppedAcks).toBe(1);
    expect(opened.length).toBeGreaterThanOrEqual(2);
    expect(ack).toMatchObject({ conversationId, seq: 1 });
    const stored = await chatlog(bob, { conversationId });
    expect(stored.map((m) => m.content)).toEqual(["once"]);
  });

  it("keeps a send made while disconnected and sends it after the reconnect", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const session = started(alice.token);
    await ready(session);
    session.dropConnection();
    await waitFor(session.on.bind(session, "state"), (state) => state === "reconnecting");
    const ack = await session.send({
      chatType: 2,
      recvId: bob.id,
      msg: { mType: 0, content: "queued" },
    });
    expect(ack.seq).toBe(1);
    expect((await chatlog(bob, { conversationId })).map((m) => m.content)).toEqual(["queued"]);
  });

  it("retries a refused connect with backoff until the token works", async () => {
    const { alice } = await friendsPair();
    const offered: string[] = [];
    const session = started(alice.token, {
      token: () => {
        offered.push(offered.length < 2 ? "not.a.token" : alice.token);
        return offered.at(-1)!;
      },
    });
    const errors: Error[] = [];
    session.on("error", (error) => errors.push(error));
    await ready(session);
    expect(offered).toHaveLength(3);
    expect(errors.map((error) => error.message)).toEqual([
      "upgrade refused: 401",
      "upgrade refused: 401",
    ]);
    expect(session.state).toBe("open");
  });

  it("stops on 4003 (token revoked) and does not reconnect", async () => {
    const { alice } = await friendsPair();
    let connects = 0;
    const session = started(alice.token, {
      token: () => {
        connects += 1;
        return alice.token;
      },
    });
    await ready(session);
    const stopped = waitFor(session.on.bind(session, "stopped"));
    const logout = await api("POST", "/v1/user/logout", { token: alice.token, body: {} });
    expect(logout.status).toBe(200);
    expect(await stopped).toEqual({ code: 4003, reason: "revoked" });
    expect(session.state).toBe("stopped");
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(connects).toBe(1);
  });
});
