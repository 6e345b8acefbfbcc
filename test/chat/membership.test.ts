// CONTRACT §7.5: membership is enforced at once; history up to the change stays readable.
import { describe, expect, it } from "vitest";
import { chatlog, isPush, pairKey, sendText } from "../helpers/chat.ts";
import { api } from "../helpers/http.ts";
import { addMember, createGroup, makeFriends, quickUser } from "../helpers/social.ts";
import { connect } from "../helpers/ws.ts";

const groupText = (groupId: string, content: string) => ({
  chatType: 1,
  recvId: groupId,
  msg: { mType: 0, content },
});

async function groupOfThree() {
  const owner = await quickUser("Owner");
  const stay = await quickUser("Stay");
  const leaver = await quickUser("Leaver");
  const group = await createGroup(owner);
  await addMember(group.id, owner, stay);
  await addMember(group.id, owner, leaver);
  return { owner, stay, leaver, groupId: group.id as string };
}

/** After the change, the leaver gets no push of the next message and cannot send. */
async function expectCutOff(
  groupId: string,
  owner: Awaited<ReturnType<typeof quickUser>>,
  stay: Awaited<ReturnType<typeof quickUser>>,
  leaver: Awaited<ReturnType<typeof quickUser>>,
  leaverSocket: Awaited<ReturnType<typeof connect>>["socket"],
) {
  const { socket: staySocket } = await connect(stay.token);
  await sendText(owner, groupId, "after", 1);
  expect((await staySocket.next(isPush)).data.content).toBe("after");
  // The leaver's socket got "before" only; a typing-free request proves the queue is settled.
  await leaverSocket.request("user.online", {});
  expect(leaverSocket.unread().filter(isPush)).toEqual([]);
  const refused = await leaverSocket.request("conversation.chat", groupText(groupId, "let me in"));
  expect(refused.frameType).toBe(9);
  // History up to the leave point stays readable, nothing after it.
  expect((await chatlog(leaver, { conversationId: groupId })).map((m) => m.content)).toEqual([
    "before",
  ]);
}

describe("membership changes cut sends and pushes at once", () => {
  it("kick", async () => {
    const { owner, stay, leaver, groupId } = await groupOfThree();
    const { socket } = await connect(leaver.token);
    await sendText(owner, groupId, "before", 1);
    expect((await socket.next(isPush)).data.content).toBe("before");
    const kicked = await api("POST", "/v1/social/group/kick", {
      token: owner.token,
      body: { groupId, userId: leaver.id },
    });
    expect(kicked.status).toBe(200);
    await expectCutOff(groupId, owner, stay, leaver, socket);
  });

  it("quit", async () => {
    const { owner, stay, leaver, groupId } = await groupOfThree();
    const { socket } = await connect(leaver.token);
    await sendText(owner, groupId, "before", 1);
    await socket.next(isPush);
    expect(
      (await api("POST", "/v1/social/group/quit", { token: leaver.token, body: { groupId } }))
        .status,
    )
      .toBe(200);
    await expectCutOff(groupId, owner, stay, leaver, socket);
  });

  it("dissolve: nobody can send, everyone keeps the history", async () => {
    const { owner, stay, groupId } = await groupOfThree();
    await sendText(owner, groupId, "last words", 1);
    expect(
      (await api("DELETE", "/v1/social/group", { token: owner.token, body: { groupId } })).status,
    )
      .toBe(200);
    const { socket } = await connect(stay.token);
    const refused = await socket.request("conversation.chat", groupText(groupId, "hello?"));
    expect(refused).toMatchObject({ frameType: 9 });
    const ownerTry = await api("POST", "/v1/im/chat", {
      token: owner.token,
      body: { ...groupText(groupId, "hello?"), clientMsgId: "x" },
    });
    expect([403, 404]).toContain(ownerTry.status);
    for (const user of [owner, stay]) {
      expect((await chatlog(user, { conversationId: groupId })).map((m) => m.content)).toEqual([
        "last words",
      ]);
    }
  });

  it("unfriend: private chat is refused both ways, history stays readable to both", async () => {
    const alice = await quickUser();
    const bob = await quickUser();
    await makeFriends(alice, bob);
    await sendText(alice, bob.id, "still friends");
    expect(
      (await api("DELETE", "/v1/social/friend", {
        token: bob.token,
        body: { friendUid: alice.id },
      })).status,
    )
      .toBe(200);
    for (const [from, to] of [[alice, bob], [bob, alice]] as const) {
      const answer = await api("POST", "/v1/im/chat", {
        token: from.token,
        body: {
          chatType: 2,
          recvId: to.id,
          msg: { mType: 0, content: "hi" },
          clientMsgId: crypto.randomUUID(),
        },
      });
      expect(answer.status).toBe(403);
    }
    const conversationId = pairKey(alice.id, bob.id);
    for (const user of [alice, bob]) {
      expect((await chatlog(user, { conversationId })).map((m) => m.content)).toEqual([
        "still friends",
      ]);
    }
  });

  it("a new member can send at once and receives the next message", async () => {
    const owner = await quickUser();
    const newcomer = await quickUser();
    const group = await createGroup(owner);
    await addMember(group.id, owner, newcomer);
    const { socket } = await connect(newcomer.token);
    const ack = await socket.request("conversation.chat", groupText(group.id, "hi all"));
    expect(ack.frameType).toBe(2);
    await sendText(owner, group.id, "welcome", 1);
    const pushes = [await socket.next(isPush), await socket.next(isPush)];
    expect(pushes.map((p) => p.data.content)).toEqual(["hi all", "welcome"]);
  });
});
