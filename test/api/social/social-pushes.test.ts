// CONTRACT §14: each social push reaches every open socket of the user concerned — and no one
// else's. Real hibernating WebSockets through the Worker; a bystander's socket, open throughout,
// proves the pushes are addressed.
import { afterEach, describe, expect, it } from "vitest";
import { api, type TestUser } from "../../helpers/http.ts";
import {
  addMember,
  answerInvitation,
  askFriend,
  createGroup,
  handleFriendRequest,
  invite,
  makeFriends,
  quickUser,
} from "../../helpers/social.ts";
import { type Frame, SocketPool, type TestSocket } from "../../helpers/ws.ts";

const sockets = new SocketPool();
afterEach(sockets.closeAll);

const SOCIAL = new Set([
  "friend.request",
  "friend.handled",
  "friend.removed",
  "group.invitation",
  "group.joined",
  "group.removed",
  "presence",
]);

/** The next social push `method` on `socket`. */
function nextPush(socket: TestSocket, method: string): Promise<Frame> {
  return socket.next((frame) => frame.frameType === 0 && frame.method === method);
}

/**
 * Social pushes `socket` got and no test read. Called once the addressed pushes arrived: a push
 * sent elsewhere by mistake leaves with them (the same fan-out), so 300 ms more is ample.
 */
async function unreadSocial(socket: TestSocket): Promise<Frame[]> {
  await new Promise((resolve) => setTimeout(resolve, 300));
  return socket.unread().filter((frame) => SOCIAL.has(frame.method));
}

/** Two users and a bystander, each with an open socket. */
async function threeOnline() {
  const [alice, bob, carol] = await Promise.all([
    quickUser("Alice"),
    quickUser("Bob"),
    quickUser("Carol"),
  ]);
  const [aliceWs, bobWs, carolWs] = [
    await sockets.connect(alice),
    await sockets.connect(bob),
    await sockets.connect(carol),
  ];
  return { alice, bob, carol, aliceWs, bobWs, carolWs };
}

/** A user's second socket (another device): pushes go to every socket of the user. */
function secondDevice(user: TestUser) {
  return sockets.connect(user);
}

describe("friend pushes", () => {
  it("friend.request reaches every socket of the asked user, and no one else", async () => {
    const { alice, bob, aliceWs, bobWs, carolWs } = await threeOnline();
    const bobPhone = await secondDevice(bob);
    const request = await askFriend(alice, bob, "hi");
    for (const ws of [bobWs, bobPhone]) {
      expect((await nextPush(ws, "friend.request")).data).toEqual({ request });
    }
    // The friend.request frames came: anything addressed elsewhere had the same time to arrive.
    expect(await unreadSocial(aliceWs)).toEqual([]);
    expect(await unreadSocial(carolWs)).toEqual([]);
  });

  it("friend.handled reaches the asker when the request is passed or refused", async () => {
    const { alice, bob, aliceWs, bobWs, carolWs } = await threeOnline();
    const request = await askFriend(alice, bob);
    await nextPush(bobWs, "friend.request");
    const refused = await handleFriendRequest(bob, request.id, 3);
    expect((await nextPush(aliceWs, "friend.handled")).data).toEqual({
      request: refused.body.data,
    });
    const again = await askFriend(alice, bob);
    await nextPush(bobWs, "friend.request");
    const passed = await handleFriendRequest(bob, again.id, 2);
    expect((await nextPush(aliceWs, "friend.handled")).data.request).toMatchObject({
      id: again.id,
      handleResult: 2,
    });
    expect(passed.status).toBe(200);
    expect(await unreadSocial(bobWs)).toEqual([]);
    expect(await unreadSocial(carolWs)).toEqual([]);
  });

  it("friend.removed reaches both sides with the other one's id", async () => {
    const { alice, bob, aliceWs, bobWs, carolWs } = await threeOnline();
    await makeFriends(alice, bob);
    await nextPush(bobWs, "friend.request");
    await nextPush(aliceWs, "friend.handled");
    const removed = await api("DELETE", "/v1/social/friend", {
      token: alice.token,
      body: { friendUid: bob.id },
    });
    expect(removed.status).toBe(200);
    expect((await nextPush(bobWs, "friend.removed")).data).toEqual({ userId: alice.id });
    expect((await nextPush(aliceWs, "friend.removed")).data).toEqual({ userId: bob.id });
    expect(await unreadSocial(carolWs)).toEqual([]);
  });
});

describe("group pushes", () => {
  it("group.invitation reaches the invitee; group.joined the joiner once they accept", async () => {
    const { alice, bob, aliceWs, bobWs, carolWs } = await threeOnline();
    const group = await createGroup(alice);
    await nextPush(aliceWs, "group.joined"); // the creator's other devices learn of the group
    const invitation = (await invite(alice, group.id, bob)).body.data;
    expect((await nextPush(bobWs, "group.invitation")).data).toEqual({ invitation });
    await answerInvitation(bob, invitation.id, true);
    const joined = await nextPush(bobWs, "group.joined");
    expect(joined.data.group).toMatchObject({ id: group.id, memberCount: 2 });
    expect(await unreadSocial(aliceWs)).toEqual([]);
    expect(await unreadSocial(carolWs)).toEqual([]);
  });

  it.each(
    [
      ["kicked", "POST", "/v1/social/group/kick"],
      ["quit", "POST", "/v1/social/group/quit"],
    ] as const,
  )("group.removed (%s) reaches the one who left", async (reason, method, path) => {
    const { alice, bob, aliceWs, bobWs, carolWs } = await threeOnline();
    const group = await createGroup(alice);
    await addMember(group.id, alice, bob); // a stranger: invited, then accepting
    await nextPush(bobWs, "group.invitation");
    await nextPush(bobWs, "group.joined");
    await nextPush(aliceWs, "group.joined");
    const actor = reason === "kicked" ? alice : bob;
    const answer = await api(method, path, {
      token: actor.token,
      body: { groupId: group.id, userId: bob.id },
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect((await nextPush(bobWs, "group.removed")).data).toEqual({ groupId: group.id, reason });
    expect(await unreadSocial(bobWs)).toEqual([]);
    expect(await unreadSocial(aliceWs)).toEqual([]);
    expect(await unreadSocial(carolWs)).toEqual([]);
  });

  it("group.removed (dissolved) reaches every member, the creator's sockets too", async () => {
    const { alice, bob, aliceWs, bobWs, carolWs } = await threeOnline();
    const group = await createGroup(alice);
    await addMember(group.id, alice, bob); // a stranger: invited, then accepting
    await nextPush(bobWs, "group.invitation");
    await nextPush(bobWs, "group.joined");
    await nextPush(aliceWs, "group.joined");
    await api("DELETE", "/v1/social/group", { token: alice.token, body: { groupId: group.id } });
    for (const ws of [aliceWs, bobWs]) {
      expect((await nextPush(ws, "group.removed")).data).toEqual({
        groupId: group.id,
        reason: "dissolved",
      });
    }
    expect(await unreadSocial(carolWs)).toEqual([]);
  });
});
