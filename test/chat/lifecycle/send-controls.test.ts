/**
 * Blocks, mutes, `muteAll` and roles checked on every send (CONTRACT §10), holding at once —
 * also when telling the conversation about the change fails (the §7.5 "never lapses" rule).
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { Conversation } from "../../../workers/conversation/index.ts";
import { chatlog, friendsPair, sendText } from "../../helpers/chat.ts";
import { api, type TestUser } from "../../helpers/http.ts";
import { edit } from "../../helpers/lifecycle.ts";
import { addMember, createGroup, createGroupCast, setRole } from "../../helpers/social.ts";
import { connect } from "../../helpers/ws.ts";

afterEach(() => {
  vi.restoreAllMocks();
});

/** Makes every delivery of a committed change to a Conversation fail (the event is lost). */
function loseChangeEvents(): void {
  vi.spyOn(Conversation.prototype, "membershipChanged").mockImplementation(() =>
    Promise.reject(new Error("injected: event delivery failed"))
  );
}

function block(user: TestUser, userId: string, method: "POST" | "DELETE" = "POST") {
  return api(method, "/v1/social/block", { token: user.token, body: { userId } });
}

function mute(user: TestUser, groupId: string, userId: string, until: number) {
  return api("PUT", "/v1/social/group/mute", {
    token: user.token,
    body: { groupId, userId, until },
  });
}

function muteAll(user: TestUser, groupId: string, on: boolean) {
  return api("PUT", "/v1/social/group", { token: user.token, body: { groupId, muteAll: on } });
}

function send(from: TestUser, recvId: string, content: string, chatType = 2) {
  return api("POST", "/v1/im/chat", {
    token: from.token,
    body: { chatType, recvId, msg: { mType: 0, content }, clientMsgId: crypto.randomUUID() },
  });
}

describe("a block", () => {
  it("refuses the blocked user's single-chat sends and edits at once, even between friends", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const earlier = await sendText(alice, bob.id, "before the block");
    expect((await block(bob, alice.id)).status).toBe(200);

    const refused = await send(alice, bob.id, "after the block");
    expect([refused.status, refused.body.code]).toEqual([403, 100006]);
    const { socket } = await connect(alice.token);
    const overSocket = await socket.request("conversation.chat", {
      chatType: 2,
      recvId: bob.id,
      msg: { mType: 0, content: "over the socket" },
    });
    expect([overSocket.frameType, overSocket.data.code]).toEqual([9, 100006]);
    const edited = await edit(alice, conversationId, earlier.msgId, "changed");
    expect(edited.status).toBe(403);
    // The blocker may still write; the history stays readable to both.
    expect((await send(bob, alice.id, "I can still write")).status).toBe(200);
    expect((await chatlog(alice, { conversationId })).map((m) => m.content))
      .toEqual(["before the block", "I can still write"]);

    expect((await block(bob, alice.id, "DELETE")).status).toBe(200);
    expect((await send(alice, bob.id, "unblocked")).status).toBe(200);
  });

  it("leaves group chat alone", async () => {
    const { alice, bob } = await friendsPair();
    const group = await createGroup(bob);
    await addMember(group.id, bob, alice);
    await block(bob, alice.id);
    const answer = await send(alice, group.id, "in the group", 1);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  });

  it("holds at once when its event is lost, and a send racing it is stored before or refused", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    await sendText(alice, bob.id, "warm the conversation up");
    loseChangeEvents();
    const racing = Array.from({ length: 8 }, (_, i) => send(alice, bob.id, `racing ${i}`));
    const blocked = await block(bob, alice.id);
    expect(blocked.status).toBe(200);
    const answered = Date.now();
    const outcomes = await Promise.all(racing);
    for (const outcome of outcomes) expect([200, 403]).toContain(outcome.status);
    // Every send after the block's answer is refused, though the conversation never got the event.
    for (let i = 0; i < 3; i++) {
      expect((await send(alice, bob.id, `after ${i}`)).status).toBe(403);
    }
    const stored = await chatlog(bob, { conversationId });
    const acked = outcomes.filter((o) => o.status === 200).length;
    expect(stored).toHaveLength(1 + acked);
    for (const message of stored) expect(message.sendTime).toBeLessThanOrEqual(answered);
  });
});

describe("group mutes", () => {
  it("refuse a muted member with the time it ends, until unmuted", async () => {
    const { groupId, creator, member } = await createGroupCast();
    const until = Date.now() + 60_000;
    expect((await mute(creator, groupId, member.id, until)).status).toBe(200);
    const refused = await send(member, groupId, "let me talk", 1);
    expect([refused.status, refused.body.code]).toEqual([403, 100006]);
    expect(refused.body.msg).toContain(new Date(until).toISOString());
    expect((await mute(creator, groupId, member.id, 0)).status).toBe(200);
    expect((await send(member, groupId, "thanks", 1)).status).toBe(200);
  });

  it("muteAll lets only the creator and managers send; a promotion counts at once", async () => {
    const { groupId, creator, manager, member } = await createGroupCast();
    expect((await muteAll(creator, groupId, true)).status).toBe(200);
    const refused = await send(member, groupId, "hello?", 1);
    expect([refused.status, refused.body.code]).toEqual([403, 100006]);
    expect(refused.body.msg).toMatch(/muted/);
    expect((await send(manager, groupId, "managers may", 1)).status).toBe(200);
    expect((await send(creator, groupId, "so may I", 1)).status).toBe(200);

    await setRole(groupId, creator, member, 2);
    expect((await send(member, groupId, "promoted", 1)).status).toBe(200);
    await setRole(groupId, creator, member, 3);
    expect((await send(member, groupId, "demoted", 1)).status).toBe(403);

    expect((await muteAll(manager, groupId, false)).status).toBe(200);
    expect((await send(member, groupId, "free again", 1)).status).toBe(200);
  });

  it("do not keep a muted member from setting the conversation up (that is not a send)", async () => {
    const { groupId, creator, member } = await createGroupCast();
    await mute(creator, groupId, member.id, Date.now() + 60_000);
    const setup = await api("POST", "/v1/im/setup/conversation", {
      token: member.token,
      body: { recvId: groupId, chatType: 1 },
    });
    expect(setup.status, JSON.stringify(setup.body)).toBe(200);
    expect((await send(member, groupId, "still muted", 1)).status).toBe(403);
  });

  it("never apply to the creator, also after ownership moves to a muted member", async () => {
    const { groupId, creator, member } = await createGroupCast();
    await mute(creator, groupId, member.id, Date.now() + 60_000);
    await setRole(groupId, creator, member, 1);
    const answer = await send(member, groupId, "my group now", 1);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  });

  it("hold at once when their event is lost", async () => {
    const { groupId, creator, member } = await createGroupCast();
    await sendText(member, groupId, "before", 1);
    loseChangeEvents();
    expect((await mute(creator, groupId, member.id, Date.now() + 60_000)).status).toBe(200);
    expect((await send(member, groupId, "muted?", 1)).status).toBe(403);
    expect((await muteAll(creator, groupId, true)).status).toBe(200);
    expect((await mute(creator, groupId, member.id, 0)).status).toBe(200);
    expect((await send(member, groupId, "still all muted", 1)).status).toBe(403);
  });
});
