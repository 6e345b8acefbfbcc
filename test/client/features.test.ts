/**
 * The SDK's side of CONTRACT §13 against the real Worker: `react` through the outbox, reaction
 * and pin changes applied in change order — also those missed while offline or lost on the way,
 * which the resync after the next connect brings — `read.count` events, `pin` and `search`.
 */
import { describe, expect, it } from "vitest";
import {
  applyMessageChange,
  applyPinChange,
  type ChatLog,
  type ChatSession,
  pin,
  type PinChange,
  pinnedMessages,
  type ReactionChange,
  search,
} from "../../shared/client/index.ts";
import { chatlog, conversationOf, friendsPair, sendText } from "../helpers/chat.ts";
import { api } from "../helpers/http.ts";
import { createGroupCast } from "../helpers/social.ts";
import { nextReady, sessionStarter, testApi, until, waitFor } from "../helpers/sdk.ts";

const start = sessionStarter();

/** Every reaction and pin event of a session, in order. */
function featureChanges(session: ChatSession) {
  const seen: (ReactionChange | PinChange)[] = [];
  session.on("reaction", (change) => seen.push(change));
  session.on("pin", (change) => seen.push(change));
  return seen;
}

describe("ChatSession reactions and pins", () => {
  it("reacts through the outbox; both sessions apply the change once, `me` for their user", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const aliceSession = start(alice.token);
    const bobSession = start(bob.token);
    const aliceSeen = featureChanges(aliceSession);
    const bobSeen = featureChanges(bobSession);
    await Promise.all([nextReady(aliceSession), nextReady(bobSession)]);
    const sent = await sendText(alice, bob.id, "pizza?");
    await until(() => bobSession.lastSeq(conversationId) === sent.seq, "the message");

    const reaction = await bobSession.react(conversationId, sent.msgId, "🍕");
    expect(reaction).toMatchObject({ emoji: "🍕", on: true, count: 1, userId: bob.id });
    await until(() => aliceSeen.length === 1, "Alice's reaction event");
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(bobSeen).toEqual([reaction]);
    expect(aliceSeen).toEqual([reaction]);

    let [forBob] = await chatlog(bob, { conversationId }) as ChatLog[];
    forBob = { ...forBob!, reactions: [] };
    const applied = applyMessageChange([forBob], { method: "reaction", data: reaction }, bob.id);
    expect(applied[0]!.reactions).toEqual([{ emoji: "🍕", count: 1, me: true }]);
    const forAlice = applyMessageChange([forBob], { method: "reaction", data: reaction }, alice.id);
    expect(forAlice[0]!.reactions).toEqual([{ emoji: "🍕", count: 1, me: false }]);
  });

  it("brings reactions and pins missed while offline, and a lost one, with the next resync", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    let dropped = 0;
    const session = start(alice.token, {
      tap: (text) => {
        const frame = JSON.parse(text);
        if (frame.method === "reaction" && dropped === 0) {
          dropped += 1;
          return "drop";
        }
        return "deliver";
      },
    });
    const seen = featureChanges(session);
    await nextReady(session);
    const sent = await sendText(alice, bob.id, "plan");
    await until(() => session.lastSeq(conversationId) === sent.seq, "the message");
    const bobApi = testApi(bob.token);
    // Lost on the way: the cursor stays below it.
    const lost = await api("PUT", "/v1/im/chat/reaction", {
      token: bob.token,
      body: { conversationId, msgId: sent.msgId, emoji: "👍" },
    });
    expect(lost.status).toBe(200);
    const pinned = await pin(bobApi, conversationId, sent.msgId);
    await until(() => seen.length === 1, "the pin after the lost reaction");
    expect(dropped).toBe(1);
    expect(session.lastChangeSeq(conversationId)).toBe(0);

    // Offline: more changes come meanwhile.
    const offline = waitFor(session.on.bind(session, "state"), (state) => state === "reconnecting");
    session.dropConnection();
    await offline;
    const heart = await api("PUT", "/v1/im/chat/reaction", {
      token: bob.token,
      body: { conversationId, msgId: sent.msgId, emoji: "❤️" },
    });
    expect(heart.status).toBe(200);
    await expect.poll(() => conversationOf(alice, conversationId)).toMatchObject({
      changeSeq: heart.body.data.changeSeq,
    });
    await nextReady(session);
    await until(() => session.lastChangeSeq(conversationId) === 3, "the resync");
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(seen.map((change) => change.changeSeq)).toEqual([2, 1, 3]);
    expect(pinned).toMatchObject({ pinned: true, changeSeq: 2 });

    // Applied in the order they came, the app's copy is the server's.
    let messages = await chatlog(alice, { conversationId }) as ChatLog[];
    const fromServer = messages[0]!.reactions;
    messages = messages.map((message) => ({ ...message, reactions: [] }));
    let pins: ChatLog[] = [];
    for (const change of seen) {
      if ("emoji" in change) {
        messages = applyMessageChange(messages, { method: "reaction", data: change }, alice.id);
      } else {
        pins = applyPinChange(pins, change, messages);
      }
    }
    expect(messages[0]!.reactions).toEqual(fromServer);
    expect(pins.map((message) => message.msgId)).toEqual([sent.msgId]);
    expect((await pinnedMessages(testApi(alice.token), conversationId)).map((m) => m.msgId))
      .toEqual([sent.msgId]);
  });

  it("passes on read counts as `read.count` events", async () => {
    const { creator, member, groupId } = await createGroupCast();
    const session = start(creator.token);
    const counts: Record<string, number>[] = [];
    session.on("read.count", (event) => counts.push(event.counts));
    await nextReady(session);
    const sent = await sendText(creator, groupId, "agenda", 1);
    await api("PUT", "/v1/im/conversation", {
      token: member.token,
      body: { conversationList: { [groupId]: { read: sent.seq } } },
    });
    await until(() => counts.length > 0, "a read count");
    expect(counts.at(-1)).toMatchObject({ [sent.seq]: 1 });
  });
});

describe("search", () => {
  it("iterates every result, page after page, newest first", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    for (let i = 1; i <= 5; i++) await sendText(alice, bob.id, `大家你好 ${i}`);
    const contents: string[] = [];
    for await (const hit of search(testApi(bob.token), "你好", { conversationId, limit: 2 })) {
      contents.push(hit.message.content);
    }
    expect(contents).toEqual([5, 4, 3, 2, 1].map((i) => `大家你好 ${i}`));
  });
});
