// CONTRACT §7.5: a membership change holds at once even when telling the conversation about it
// fails after D1 committed — not after the 5-minute re-read, at the very next send.
import { afterEach, describe, expect, it, vi } from "vitest";
import { Conversation } from "../../workers/conversation/index.ts";
import { isPush, sendText } from "../helpers/chat.ts";
import { api, type TestUser } from "../helpers/http.ts";
import { addMember, createGroup, makeFriends, quickUser } from "../helpers/social.ts";
import { connect } from "../helpers/ws.ts";

/** The Conversation RPC that a committed membership change is delivered through. */
const EVENT_RPC = "membershipChanged";

/**
 * Makes the delivery of membership events to Conversation objects throw: the first `times`
 * calls, or every call. Returns how many calls were made.
 */
function failMembershipEvents(times = Infinity): { calls: () => number } {
  const prototype = Conversation.prototype as unknown as Record<
    string,
    (...args: unknown[]) => unknown
  >;
  const original = prototype[EVENT_RPC]!;
  let calls = 0;
  vi.spyOn(prototype, EVENT_RPC).mockImplementation(function (this: unknown, ...args: unknown[]) {
    calls += 1;
    if (calls <= times) return Promise.reject(new Error("injected: event delivery failed"));
    return original.apply(this, args);
  });
  return { calls: () => calls };
}

afterEach(() => {
  vi.restoreAllMocks();
});

const groupText = (groupId: string, content: string) => ({
  chatType: 1,
  recvId: groupId,
  msg: { mType: 0, content },
  clientMsgId: crypto.randomUUID(),
});

function send(user: TestUser, body: Record<string, unknown>) {
  return api("POST", "/v1/im/chat", { token: user.token, body });
}

async function groupWith(owner: TestUser, member: TestUser): Promise<string> {
  const group = await createGroup(owner);
  await addMember(group.id, owner, member);
  await sendText(owner, group.id, "before", 1);
  return group.id as string;
}

describe("a membership change whose event delivery fails still holds at once", () => {
  it("kick: every delivery fails, the route still answers 200, the next send is 403 and nothing more is pushed", async () => {
    const owner = await quickUser();
    const kicked = await quickUser();
    const groupId = await groupWith(owner, kicked);
    const { socket } = await connect(kicked.token);
    const fault = failMembershipEvents();
    const answer = await api("POST", "/v1/social/group/kick", {
      token: owner.token,
      body: { groupId, userId: kicked.id },
    });
    expect(answer.status).toBe(200);
    expect(fault.calls()).toBeGreaterThan(0);
    expect((await send(kicked, groupText(groupId, "still here?"))).status).toBe(403);
    await sendText(owner, groupId, "after", 1);
    await socket.request("user.online", {});
    expect(socket.unread().filter(isPush).map((push) => push.data.content)).not.toContain("after");
  });

  it("kick: the first delivery fails, a retry with the same event delivers it", async () => {
    const owner = await quickUser();
    const kicked = await quickUser();
    const groupId = await groupWith(owner, kicked);
    const fault = failMembershipEvents(1);
    const answer = await api("POST", "/v1/social/group/kick", {
      token: owner.token,
      body: { groupId, userId: kicked.id },
    });
    expect(answer.status).toBe(200);
    expect(fault.calls()).toBe(2);
    expect((await send(kicked, groupText(groupId, "still here?"))).status).toBe(403);
  });

  it("unfriend: every delivery fails, the next send either way is 403", async () => {
    const alice = await quickUser();
    const bob = await quickUser();
    await makeFriends(alice, bob);
    await sendText(alice, bob.id, "friends");
    failMembershipEvents();
    const answer = await api("DELETE", "/v1/social/friend", {
      token: bob.token,
      body: { friendUid: alice.id },
    });
    expect(answer.status).toBe(200);
    for (const [from, to] of [[alice, bob], [bob, alice]] as const) {
      const body = {
        chatType: 2,
        recvId: to.id,
        msg: { mType: 0, content: "hi" },
        clientMsgId: crypto.randomUUID(),
      };
      expect((await send(from, body)).status).toBe(403);
    }
  });

  it("join: every delivery fails, the new member can send at once and gets the next push", async () => {
    const owner = await quickUser();
    const early = await quickUser();
    const newcomer = await quickUser();
    const groupId = await groupWith(owner, early);
    failMembershipEvents();
    await addMember(groupId, owner, newcomer);
    const { socket } = await connect(newcomer.token);
    expect((await send(newcomer, groupText(groupId, "hi all"))).status).toBe(200);
    await sendText(owner, groupId, "welcome", 1);
    const contents = [];
    for (let i = 0; i < 2; i++) contents.push((await socket.next(isPush)).data.content);
    expect(contents).toEqual(["hi all", "welcome"]);
  });
});
