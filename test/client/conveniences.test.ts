/**
 * ChatSession's conveniences against the real Worker: opened(), markRead() through the outbox,
 * typing(), online(), a caller-chosen send id, exportState()/importState() across an app
 * restart, the §14 social events, and the ConversationStore's unread counts.
 */
import { describe, expect, it } from "vitest";
import { ChatError, ConversationStore } from "../../shared/client/index.ts";
import { chatlog, conversationOf, friendsPair, sendText } from "../helpers/chat.ts";
import {
  nextReady,
  received,
  sessionStarter,
  type TappedSocket,
  testSession,
  until,
  waitFor,
} from "../helpers/sdk.ts";

const start = sessionStarter();
const text = (content: string) => ({ mType: 0 as const, content });

describe("ChatSession conveniences", () => {
  it("opened() resolves at session.ready, at once while open, and rejects once stopped", async () => {
    const { alice } = await friendsPair();
    const session = start(alice.token);
    await session.opened();
    expect(session.state).toBe("open");
    await session.opened();
    session.close();
    await expect(session.opened()).rejects.toBeInstanceOf(ChatError);
  });

  it("markRead() made while disconnected is stored after the reconnect", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    for (const content of ["one", "two"]) await sendText(bob, alice.id, content);
    const session = start(alice.token);
    await nextReady(session);
    session.dropConnection();
    await waitFor(session.on.bind(session, "state"), (state) => state === "reconnecting");
    const marked = await session.markRead(conversationId, 2);
    expect(marked).toEqual({ conversationId, read: 2 });
    expect(await conversationOf(alice, conversationId)).toMatchObject({ read: 2, unread: 0 });
  });

  it("typing() reaches the other side while open, and does nothing while not", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const session = start(alice.token);
    const other = start(bob.token);
    await Promise.all([nextReady(session), nextReady(other)]);
    const typing = waitFor(other.on.bind(other, "typing"));
    await session.typing(conversationId);
    expect(await typing).toEqual({ conversationId, userId: alice.id });
    session.close();
    await session.typing(conversationId); // resolves, sends nothing
  });

  it("online() waits for the session to open and lists the friends online", async () => {
    const { alice, bob } = await friendsPair();
    const other = start(bob.token);
    await nextReady(other);
    const session = start(alice.token);
    expect(await session.online()).toEqual({ [bob.id]: true });
  });

  it("a caller-chosen send id stores the message once, also from a restarted app", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const message = { chatType: 2 as const, recvId: bob.id, msg: text("draft 7") };
    const first = start(alice.token);
    const ack = await first.send(message, { id: "draft-7" });
    first.close();
    const restarted = start(alice.token);
    expect(await restarted.send(message, { id: "draft-7" })).toEqual(ack);
    expect((await chatlog(bob, { conversationId })).map((m) => m.content)).toEqual(["draft 7"]);
  });

  it("importState() resumes a restarted app where it stopped: no message skipped, outbox sent once", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    let reachable = true;
    const first = start(alice.token, {
      token: () => {
        if (!reachable) throw new Error("offline");
        return alice.token;
      },
    });
    const seen = received(first);
    await nextReady(first);
    await sendText(bob, alice.id, "before");
    await until(() => seen.length === 1, "the first message");
    reachable = false;
    first.dropConnection();
    await waitFor(first.on.bind(first, "state"), (state) => state === "reconnecting");
    first.send({ chatType: 2, recvId: bob.id, msg: text("queued offline") }).catch(() => {});
    const saved = JSON.parse(JSON.stringify(first.exportState()));
    first.close();
    for (const content of ["while-away-1", "while-away-2"]) await sendText(bob, alice.id, content);

    const restarted = testSession(alice.token);
    const resumed = received(restarted);
    const [restored] = restarted.importState(saved);
    restarted.start();
    try {
      expect(await restored).toMatchObject({ conversationId, seq: 4 });
      await until(() => resumed.length === 2, "the two messages sent while away");
      expect(resumed.map((m) => `${m.seq}:${m.content}`)).toEqual([
        "2:while-away-1",
        "3:while-away-2",
      ]);
      const stored = await chatlog(bob, { conversationId });
      expect(stored.filter((m) => m.content === "queued offline")).toHaveLength(1);
    } finally {
      restarted.close();
    }
  });

  it('startAt "read" hands over the unread messages of a conversation first seen in session.ready', async () => {
    const { alice, bob } = await friendsPair();
    for (const content of ["u1", "u2"]) await sendText(bob, alice.id, content);
    const plain = start(alice.token);
    const fromRead = start(alice.token, { startAt: "read", deviceId: "bot" });
    const seenPlain = received(plain);
    const seenFromRead = received(fromRead);
    await Promise.all([nextReady(plain), nextReady(fromRead)]);
    await until(() => seenFromRead.length === 2, "the two unread messages");
    expect(seenFromRead.map((m) => m.content)).toEqual(["u1", "u2"]);
    // The default starts at the ready's seq: u1 is history, for the app to page in over HTTP.
    expect(seenPlain.map((m) => m.content)).not.toContain("u1");
  });

  it("passes on the §14 social pushes as events when a server sends them", async () => {
    const { alice } = await friendsPair();
    const opened: TappedSocket[] = [];
    const session = start(alice.token, { opened });
    await nextReady(session);
    const presence = waitFor(session.on.bind(session, "presence"));
    const removed = waitFor(session.on.bind(session, "group.removed"));
    // This server version does not send them yet: the frames are put on the socket as a newer
    // server would send them.
    const push = (method: string, data: unknown) =>
      opened[0]!.dispatchEvent(
        Object.assign(new Event("message"), {
          data: JSON.stringify({ frameType: 0, method, data }),
        }),
      );
    push("presence", { userId: "u1", online: true });
    push("group.removed", { groupId: "g1", reason: "kicked" });
    expect(await presence).toEqual({ userId: "u1", online: true });
    expect(await removed).toEqual({ groupId: "g1", reason: "kicked" });
  });
});

describe("ConversationStore", () => {
  it("counts unread messages from others, and clears them on markRead", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const session = start(alice.token);
    const store = new ConversationStore(session);
    const totals: number[] = [];
    store.on("unread", (total) => totals.push(total));
    await nextReady(session);
    for (const content of ["a", "b", "c"]) await sendText(bob, alice.id, content);
    await until(() => store.get(conversationId)?.unread === 3, "three unread");
    expect(store.totalUnread).toBe(3);
    expect(store.get(conversationId)?.lastMsg?.content).toBe("c");
    await session.markRead(conversationId, 3);
    expect(store.get(conversationId)).toMatchObject({ read: 3, unread: 0 });
    expect(totals).toEqual([1, 2, 3, 0]);
    await session.send({ chatType: 2, recvId: bob.id, msg: text("mine") });
    expect(store.get(conversationId)).toMatchObject({ seq: 4, read: 4, unread: 0 });
    // A reconnect's session.ready gives the server's counters: the same.
    const back = nextReady(session);
    session.dropConnection();
    await back;
    expect(store.get(conversationId)).toMatchObject({ seq: 4, read: 4, unread: 0 });
  });
});
