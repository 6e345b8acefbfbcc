// At most one push per conversation per window (30 s; 3 s in the tests) per user: the first
// message of an absence is pushed at once, and when the window ends the messages that came
// meanwhile are pushed as one, with their count (CONTRACT §12, docs/push.md). A muted
// conversation pushes only for a mention of the user or `all`.
import { describe, expect, it } from "vitest";
import { pairKey, quickUsers, sendText } from "../helpers/chat.ts";
import { api } from "../helpers/http.ts";
import { addMember, createGroup, quickUser } from "../helpers/social.ts";
import {
  COALESCE_MS,
  pause,
  pushesTo,
  setConversation,
  subscribedDevice,
  waitForPushes,
} from "./devices.ts";
import { friendsPair } from "../helpers/chat.ts";

/** A group of Owner and Bob, and its conversation id. */
async function groupWithBob() {
  const owner = await quickUser("Owner");
  const bob = await quickUser("Bob");
  const group = await createGroup(owner);
  await addMember(group.id, owner, bob);
  return { owner, bob, groupId: group.id as string, conversationId: group.id as string };
}

async function sendToGroup(
  from: { token: string },
  groupId: string,
  content: string,
  mentions?: string[],
) {
  const answer = await api("POST", "/v1/im/chat", {
    token: from.token,
    body: {
      chatType: 1,
      recvId: groupId,
      msg: { mType: 0, content },
      clientMsgId: crypto.randomUUID(),
      ...(mentions && { mentions }),
    },
  });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body.data;
}

describe("pushes within one window", { timeout: 20_000 }, () => {
  it("are one at once and one at the window's end that says how many came", async () => {
    const { alice, bob } = await friendsPair();
    const device = await subscribedDevice(bob);
    const start = Date.now();
    for (let i = 1; i <= 5; i++) await sendText(alice, bob.id, `m${i}`);
    const [first] = await waitForPushes(device, 1);
    expect(first!.payload).toMatchObject({ seq: 1, count: 1, preview: "m1", unread: 1 });
    // Nothing more while the window lasts.
    await pause(Math.max(0, start + COALESCE_MS - 500 - Date.now()));
    expect(await pushesTo(device)).toHaveLength(1);
    const [, second] = await waitForPushes(device, 2, COALESCE_MS * 2);
    expect(second!.payload).toMatchObject({ seq: 5, count: 4, preview: "m5", unread: 5 });
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(COALESCE_MS - 1_000);
    expect(second!.headers.topic).toBe(first!.headers.topic);
    // A window with nothing new ends quietly, and the next message is pushed at once again.
    await pause(COALESCE_MS + 1_500);
    expect(await pushesTo(device)).toHaveLength(2);
    await sendText(alice, bob.id, "m6");
    const [, , third] = await waitForPushes(device, 3);
    expect(third!.payload).toMatchObject({ seq: 6, count: 1, preview: "m6" });
  });

  it("keep 30 s apart also after a window's push: the next message waits for its end", async () => {
    const { alice, bob } = await friendsPair();
    const device = await subscribedDevice(bob);
    for (let i = 1; i <= 3; i++) await sendText(alice, bob.id, `m${i}`);
    const [, second] = await waitForPushes(device, 2, COALESCE_MS * 2);
    expect(second!.payload).toMatchObject({ seq: 3, count: 2 });
    // The window's end asked the conversation, so this message reaches Bob's session at once;
    // the push it makes waits for the window the second push opened.
    await sendText(alice, bob.id, "m4");
    await pause(1_500);
    expect(await pushesTo(device)).toHaveLength(2);
    const [, , third] = await waitForPushes(device, 3, COALESCE_MS * 2);
    expect(third!.payload).toMatchObject({ seq: 4, count: 1, preview: "m4" });
    expect(third!.at - second!.at).toBeGreaterThanOrEqual(COALESCE_MS - 1_000);
  });

  it("are counted per conversation: another conversation pushes at once", async () => {
    const [alice, carol, bob] = await quickUsers(3, "pal");
    const { makeFriends } = await import("../helpers/social.ts");
    await makeFriends(alice!, bob!);
    await makeFriends(carol!, bob!);
    const device = await subscribedDevice(bob!);
    await sendText(alice!, bob!.id, "from alice");
    await waitForPushes(device, 1);
    await sendText(carol!, bob!.id, "from carol");
    const pushes = await waitForPushes(device, 2);
    expect(pushes.map((push) => (push.payload as { conversationId: string }).conversationId))
      .toEqual([pairKey(alice!.id, bob!.id), pairKey(carol!.id, bob!.id)]);
  });
});

describe("a muted conversation", { timeout: 20_000 }, () => {
  it("pushes nothing for plain messages", async () => {
    const { owner, bob, groupId, conversationId } = await groupWithBob();
    await sendToGroup(owner, groupId, "before muting");
    const device = await subscribedDevice(bob);
    await setConversation(bob, conversationId, { muted: true });
    await sendToGroup(owner, groupId, "plain 1");
    await sendToGroup(owner, groupId, "plain 2");
    await pause(COALESCE_MS + 2_000);
    expect(await pushesTo(device)).toEqual([]);
  });

  it("pushes a mention of the member, urgently, counting every unread message not pushed", async () => {
    const { owner, bob, groupId, conversationId } = await groupWithBob();
    await sendToGroup(owner, groupId, "before muting");
    const device = await subscribedDevice(bob);
    await setConversation(bob, conversationId, { muted: true });
    await sendToGroup(owner, groupId, "plain");
    await sendToGroup(owner, groupId, "hey Bob", [bob.id]);
    const [push] = await waitForPushes(device, 1, COALESCE_MS * 2);
    expect(push!.payload).toMatchObject({ chatType: 1, preview: "hey Bob", seq: 3, count: 3 });
    expect(push!.headers.urgency).toBe("high");
  });

  it("pushes a mention of all at once when nothing came before it", async () => {
    const { owner, bob, groupId, conversationId } = await groupWithBob();
    await sendToGroup(owner, groupId, "before muting");
    const device = await subscribedDevice(bob);
    await setConversation(bob, conversationId, { muted: true });
    await sendToGroup(owner, groupId, "everyone!", ["all"]);
    const [push] = await waitForPushes(device, 1, 1_500);
    expect(push!.payload).toMatchObject({ preview: "everyone!", seq: 2, count: 2 });
  });

  it("unmuted, pushes plain group messages with normal urgency", async () => {
    const { owner, bob, groupId } = await groupWithBob();
    const device = await subscribedDevice(bob);
    await sendToGroup(owner, groupId, "group news");
    const [push] = await waitForPushes(device, 1);
    expect(push!.payload).toMatchObject({
      chatType: 1,
      preview: "group news",
      senderName: "Owner",
    });
    expect(push!.headers.urgency).toBe("normal");
  });
});
