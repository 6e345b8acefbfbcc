/**
 * Someone I block sees me offline (CONTRACT §10) in all three presence answers — friends/online,
 * group/users/online and the socket's user.online — listed, `false`, exactly as if I had no
 * socket open — while I still see them as they are. Unblocking shows me again.
 */
import { afterEach, describe, expect, it } from "vitest";
import { api, type TestUser } from "../../helpers/http.ts";
import { addMember, createGroup, makeFriends, quickUser } from "../../helpers/social.ts";
import { SocketPool, type TestSocket } from "../../helpers/ws.ts";

const pool = new SocketPool();

afterEach(pool.closeAll);

/** The three presence answers `viewer` gets, each as `{[userId]: online}`. */
async function presenceSeenBy(viewer: TestUser, socket: TestSocket, groupId: string) {
  const friends = await api("GET", "/v1/social/friends/online", { token: viewer.token });
  const members = await api("GET", `/v1/social/group/users/online?groupId=${groupId}`, {
    token: viewer.token,
  });
  const frame = await socket.request("user.online", {});
  expect(friends.status, JSON.stringify(friends.body)).toBe(200);
  expect(members.status, JSON.stringify(members.body)).toBe(200);
  expect(frame.frameType, JSON.stringify(frame)).toBe(2);
  return {
    friends: friends.body.data.onlineList,
    members: members.body.data.onlineList,
    socket: frame.data.onlineList,
  };
}

/** Alice and Bob: friends, both in one group, both with an open socket. */
async function twoOnlineFriends() {
  const [alice, bob] = await Promise.all([quickUser("Alice"), quickUser("Bob")]);
  await makeFriends(alice, bob);
  const group = await createGroup(alice);
  await addMember(group.id, alice, bob);
  const sockets = { alice: await pool.connect(alice), bob: await pool.connect(bob) };
  return { alice, bob, groupId: group.id as string, sockets };
}

function block(actor: TestUser, userId: string, method: "POST" | "DELETE" = "POST") {
  return api(method, "/v1/social/block", { token: actor.token, body: { userId } });
}

describe("presence and blocks", () => {
  it("shows both online to each other before any block", async () => {
    const { alice, bob, groupId, sockets } = await twoOnlineFriends();
    expect(await presenceSeenBy(alice, sockets.alice, groupId)).toEqual({
      friends: { [bob.id]: true },
      members: { [alice.id]: true, [bob.id]: true },
      socket: { [bob.id]: true },
    });
  });

  it("shows the blocker offline to the blocked user in all three answers", async () => {
    const { alice, bob, groupId, sockets } = await twoOnlineFriends();
    expect((await block(bob, alice.id)).status).toBe(200);
    expect(await presenceSeenBy(alice, sockets.alice, groupId)).toEqual({
      friends: { [bob.id]: false },
      members: { [alice.id]: true, [bob.id]: false },
      socket: { [bob.id]: false },
    });
  });

  it("still shows the blocked user online to the blocker", async () => {
    const { alice, bob, groupId, sockets } = await twoOnlineFriends();
    await block(bob, alice.id);
    expect(await presenceSeenBy(bob, sockets.bob, groupId)).toEqual({
      friends: { [alice.id]: true },
      members: { [alice.id]: true, [bob.id]: true },
      socket: { [alice.id]: true },
    });
  });

  it("shows the blocker online again after the unblock", async () => {
    const { alice, bob, groupId, sockets } = await twoOnlineFriends();
    await block(bob, alice.id);
    expect((await block(bob, alice.id, "DELETE")).status).toBe(200);
    expect(await presenceSeenBy(alice, sockets.alice, groupId)).toEqual({
      friends: { [bob.id]: true },
      members: { [alice.id]: true, [bob.id]: true },
      socket: { [bob.id]: true },
    });
  });
});
