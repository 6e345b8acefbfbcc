import { describe, expect, it } from "vitest";
import { api } from "../../helpers/http.ts";
import {
  addMember,
  collectPages,
  countRows,
  createGroup,
  createGroupCast,
  quickUser,
} from "../../helpers/social.ts";

const UNKNOWN_ID = "0123456789abcdef0123456789abcdef";

describe("POST /v1/social/group", () => {
  it("creates the group with the caller as its creator member, and returns the id", async () => {
    const owner = await quickUser("Owner");
    const before = Date.now();
    const answer = await api("POST", "/v1/social/group", {
      token: owner.token,
      body: {
        name: " Climbers ",
        icon: "https://img.test/g.png",
        isVerify: true,
        notification: "hello",
      },
    });
    expect(answer.status).toBe(200);
    expect(answer.body.data).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{32}$/),
      name: "Climbers",
      icon: "https://img.test/g.png",
      status: 0,
      creatorUid: owner.id,
      groupType: 0,
      isVerify: true,
      notification: "hello",
      notificationUid: owner.id,
      muteAll: false,
      memberCount: 1,
      createdAt: expect.any(Number),
    });
    expect(answer.body.data.createdAt).toBeGreaterThanOrEqual(before);
    const members = await api("GET", `/v1/social/group/users?groupId=${answer.body.data.id}`, {
      token: owner.token,
    });
    expect(members.body.data.list).toEqual([expect.objectContaining({
      userId: owner.id,
      nickname: "Owner",
      roleLevel: 1,
    })]);
  });

  it("defaults icon, isVerify and notification", async () => {
    const owner = await quickUser();
    const group = await createGroup(owner, { name: "Plain" });
    expect(group).toMatchObject({
      icon: "",
      isVerify: false,
      notification: "",
      notificationUid: "",
    });
  });

  it.each([
    ["a missing name", { name: undefined }],
    ["an empty name", { name: "" }],
    ["a blank name", { name: "   " }],
    ["a name over 32 characters", { name: "n".repeat(33) }],
    ["a numeric name", { name: 12 }],
    ["an icon that is not http(s)", { icon: "javascript:alert(1)" }],
    ["isVerify as a string", { isVerify: "true" }],
    ["a notification over 1000 characters", { notification: "z".repeat(1001) }],
  ])("refuses %s with 400", async (_label, override) => {
    const owner = await quickUser();
    const answer = await api("POST", "/v1/social/group", {
      token: owner.token,
      body: { name: "Fine", ...override },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe(100002);
  });

  it("accepts a 32-character name and a 1000-character notification", async () => {
    const owner = await quickUser();
    const group = await createGroup(owner, {
      name: "名".repeat(32),
      notification: "n".repeat(1000),
    });
    expect([...group.name]).toHaveLength(32);
  });

  it("refuses a caller without a token with 401", async () => {
    const answer = await api("POST", "/v1/social/group", { body: { name: "x" } });
    expect(answer.status).toBe(401);
  });
});

describe("PUT /v1/social/group", () => {
  it("lets the creator change the fields given and records who set the notification", async () => {
    const { groupId, creator, manager } = await createGroupCast({ name: "Old" });
    const answer = await api("PUT", "/v1/social/group", {
      token: manager.token,
      body: { groupId, notification: "meet at 10" },
    });
    expect(answer.status).toBe(200);
    expect(answer.body.data).toMatchObject({
      name: "Old",
      notification: "meet at 10",
      notificationUid: manager.id,
      memberCount: 3,
    });
    const renamed = await api("PUT", "/v1/social/group", {
      token: creator.token,
      body: { groupId, name: "New", isVerify: true },
    });
    expect(renamed.body.data).toMatchObject({
      name: "New",
      isVerify: true,
      notificationUid: manager.id,
    });
  });

  it("answers the group unchanged when no field is given", async () => {
    const { groupId, creator, group } = await createGroupCast();
    const answer = await api("PUT", "/v1/social/group", {
      token: creator.token,
      body: { groupId },
    });
    expect(answer.status).toBe(200);
    expect(answer.body.data).toEqual({ ...group, memberCount: 3 });
  });

  it("answers 404 for an unknown group", async () => {
    const user = await quickUser();
    const answer = await api("PUT", "/v1/social/group", {
      token: user.token,
      body: { groupId: UNKNOWN_ID, name: "x" },
    });
    expect(answer.status).toBe(404);
  });

  it.each([
    ["a missing groupId", { groupId: undefined }],
    ["a malformed groupId", { groupId: "g1" }],
    ["an oversize name", { name: "n".repeat(33) }],
    ["an oversize notification", { notification: "x".repeat(1001) }],
    ["a bad icon", { icon: "ftp://x" }],
  ])("refuses %s with 400", async (_label, override) => {
    const { groupId, creator } = await createGroupCast();
    const answer = await api("PUT", "/v1/social/group", {
      token: creator.token,
      body: { groupId, ...override },
    });
    expect(answer.status).toBe(400);
  });
});

describe("DELETE /v1/social/group", () => {
  it("dissolves: status 1 kept, members gone, pending requests cancelled", async () => {
    const { groupId, creator, outsider } = await createGroupCast({ isVerify: true });
    const applied = await api("POST", "/v1/social/group/putIn", {
      token: outsider.token,
      body: { groupId, joinSource: 2 },
    });
    expect(applied.body.data.handleResult).toBe(1);

    const answer = await api("DELETE", "/v1/social/group", {
      token: creator.token,
      body: { groupId },
    });
    expect(answer.status).toBe(200);
    expect(answer.body.data).toEqual({});
    expect(await countRows("SELECT status AS n FROM groups WHERE id = ?", groupId)).toBe(1);
    expect(await countRows("SELECT count(*) AS n FROM group_members WHERE group_id = ?", groupId))
      .toBe(0);
    expect(
      await countRows(
        "SELECT handle_result AS n FROM group_requests WHERE id = ?",
        applied.body.data.id,
      ),
    ).toBe(4);
  });

  it("makes every further operation on the group 404", async () => {
    const { groupId, creator, member, outsider } = await createGroupCast();
    await api("DELETE", "/v1/social/group", { token: creator.token, body: { groupId } });
    const attempts = [
      api("PUT", "/v1/social/group", { token: creator.token, body: { groupId, name: "x" } }),
      api("DELETE", "/v1/social/group", { token: creator.token, body: { groupId } }),
      api("POST", "/v1/social/group/putIn", {
        token: outsider.token,
        body: { groupId, joinSource: 2 },
      }),
      api("GET", `/v1/social/group/putIns?groupId=${groupId}`, { token: creator.token }),
      api("GET", `/v1/social/group/users?groupId=${groupId}`, { token: member.token }),
      api("POST", "/v1/social/group/quit", { token: member.token, body: { groupId } }),
      api("POST", "/v1/social/group/kick", {
        token: creator.token,
        body: { groupId, userId: member.id },
      }),
      api("PUT", "/v1/social/group/role", {
        token: creator.token,
        body: { groupId, userId: member.id, roleLevel: 2 },
      }),
    ];
    for (const answer of await Promise.all(attempts)) {
      expect(answer.status).toBe(404);
      expect(answer.body.code).toBe(100005);
    }
  });

  it("drops the group from its former members' lists", async () => {
    const { groupId, creator, member } = await createGroupCast();
    await api("DELETE", "/v1/social/group", { token: creator.token, body: { groupId } });
    for (const user of [creator, member]) {
      const answer = await api("GET", "/v1/social/groups", { token: user.token });
      expect(answer.body.data.list).toEqual([]);
    }
  });

  it.each([
    ["no body", undefined],
    ["a missing groupId", {}],
    ["a malformed groupId", { groupId: 5 }],
  ])("refuses %s with 400", async (_label, body) => {
    const user = await quickUser();
    const answer = await api("DELETE", "/v1/social/group", { token: user.token, body });
    expect(answer.status).toBe(400);
  });
});

describe("GET /v1/social/groups", () => {
  it("lists the caller's groups in the order they joined, with memberCount", async () => {
    const [alice, bob] = await Promise.all([quickUser(), quickUser()]);
    const first = await createGroup(alice, { name: "First" });
    const second = await createGroup(bob, { name: "Second" });
    await addMember(second.id, bob, alice);
    await createGroup(bob, { name: "Not Alice's" });

    const answer = await api("GET", "/v1/social/groups", { token: alice.token });
    expect(answer.status).toBe(200);
    expect(answer.body.data.nextCursor).toBeNull();
    expect(answer.body.data.list.map((g: { id: string }) => g.id)).toEqual([first.id, second.id]);
    expect(answer.body.data.list[1]).toMatchObject({ name: "Second", memberCount: 2 });
  });

  it("pages with limit and cursor", async () => {
    const owner = await quickUser();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await createGroup(owner, { name: `G${i}` })).id);
    const walked = await collectPages("/v1/social/groups", owner.token, 2);
    expect(walked.pages.map((p) => p.body.data.list.length)).toEqual([2, 2, 1]);
    expect(walked.ids).toEqual(ids);
  });

  it("no longer lists a group the caller quit", async () => {
    const { groupId, member } = await createGroupCast();
    await api("POST", "/v1/social/group/quit", { token: member.token, body: { groupId } });
    const answer = await api("GET", "/v1/social/groups", { token: member.token });
    expect(answer.body.data.list).toEqual([]);
  });

  it.each(["limit=0", "limit=201", "limit=x", "cursor=%%%"])("refuses ?%s with 400", async (q) => {
    const user = await quickUser();
    const answer = await api("GET", `/v1/social/groups?${q}`, { token: user.token });
    expect(answer.status).toBe(400);
  });
});
