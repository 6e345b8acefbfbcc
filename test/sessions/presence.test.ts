import { describe, expect, it } from "vitest";
import { api, createUser } from "../helpers/http.ts";
import { addMember, createGroup, makeFriends } from "../helpers/social.ts";
import { connect } from "../helpers/ws.ts";

function friendsOnline(token: string) {
  return api("GET", "/v1/social/friends/online", { token });
}

function groupOnline(token: string, groupId: string) {
  return api("GET", `/v1/social/group/users/online?groupId=${groupId}`, { token });
}

describe("presence", () => {
  it("turns on and off as a friend's sockets open and close (route and user.online)", async () => {
    const alice = await createUser("Alice");
    const bob = await createUser("Bob");
    const carol = await createUser("Carol");
    await makeFriends(alice, bob);
    await makeFriends(alice, carol);

    const offline = await friendsOnline(alice.token);
    expect(offline.status).toBe(200);
    expect(offline.body.data).toEqual({ onlineList: { [bob.id]: false, [carol.id]: false } });

    const phone = await connect(bob.token, { deviceId: "phone" });
    const laptop = await connect(bob.token, { deviceId: "laptop" });
    expect((await friendsOnline(alice.token)).body.data.onlineList).toEqual({
      [bob.id]: true,
      [carol.id]: false,
    });
    const { socket: mine } = await connect(alice.token);
    expect((await mine.request("user.online", {})).data).toEqual({
      onlineList: { [bob.id]: true, [carol.id]: false },
    });

    // One device left: still online.
    phone.socket.close(1000, "bye");
    await phone.socket.closed();
    expect((await friendsOnline(alice.token)).body.data.onlineList[bob.id]).toBe(true);

    laptop.socket.close(1000, "bye");
    await laptop.socket.closed();
    expect((await friendsOnline(alice.token)).body.data.onlineList[bob.id]).toBe(false);
    expect((await mine.request("user.online", {})).data.onlineList[bob.id]).toBe(false);
    mine.close();
  });

  it("lists only friends, never strangers", async () => {
    const alice = await createUser("Alice");
    const stranger = await createUser("Stranger");
    const { socket } = await connect(stranger.token);
    expect((await friendsOnline(alice.token)).body.data).toEqual({ onlineList: {} });
    socket.close();
  });

  it("needs a token", async () => {
    const answer = await api("GET", "/v1/social/friends/online");
    expect(answer.status).toBe(401);
    expect(answer.body.code).toBe(100003);
  });
});

describe("GET /v1/social/group/users/online", () => {
  it("shows every member, online or not, to a member", async () => {
    const owner = await createUser("Owner");
    const member = await createUser("Member");
    const group = await createGroup(owner);
    await addMember(group.id, owner, member);

    const before = await groupOnline(member.token, group.id);
    expect(before.status).toBe(200);
    expect(before.body.data).toEqual({ onlineList: { [owner.id]: false, [member.id]: false } });

    const { socket } = await connect(owner.token);
    expect((await groupOnline(member.token, group.id)).body.data.onlineList).toEqual({
      [owner.id]: true,
      [member.id]: false,
    });
    socket.close(1000, "bye");
    await socket.closed();
    expect((await groupOnline(member.token, group.id)).body.data.onlineList[owner.id]).toBe(false);
  });

  it("refuses a non-member with 403", async () => {
    const owner = await createUser("Owner");
    const outsider = await createUser("Outsider");
    const group = await createGroup(owner);
    const answer = await groupOnline(outsider.token, group.id);
    expect(answer.status).toBe(403);
    expect(answer.body).toMatchObject({ code: 100006, data: null });
  });

  it("answers 404 for a group that does not exist", async () => {
    const alice = await createUser("Alice");
    const answer = await groupOnline(alice.token, "0".repeat(32));
    expect(answer.status).toBe(404);
    expect(answer.body.code).toBe(100005);
  });

  it("answers 400 without a valid groupId", async () => {
    const alice = await createUser("Alice");
    const answer = await api("GET", "/v1/social/group/users/online", { token: alice.token });
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe(100002);
  });
});
