import { describe, expect, it } from "vitest";
import { api } from "../../helpers/http.ts";
import {
  addMember,
  collectPages,
  createGroup,
  createGroupCast,
  memberCountInDb,
  quickUser,
  setRole,
  storedMemberCount,
} from "../../helpers/social.ts";

const UNKNOWN_ID = "0123456789abcdef0123456789abcdef";

function quit(user: { token: string }, groupId: string) {
  return api("POST", "/v1/social/group/quit", { token: user.token, body: { groupId } });
}

function kick(actor: { token: string }, groupId: string, userId: string) {
  return api("POST", "/v1/social/group/kick", { token: actor.token, body: { groupId, userId } });
}

function role(actor: { token: string }, groupId: string, userId: string, roleLevel: unknown) {
  return api("PUT", "/v1/social/group/role", {
    token: actor.token,
    body: { groupId, userId, roleLevel },
  });
}

async function roleOf(groupId: string, userId: string, token: string) {
  const answer = await api("GET", `/v1/social/group/users?groupId=${groupId}&limit=200`, { token });
  return answer.body.data.list.find((m: { userId: string }) => m.userId === userId)?.roleLevel;
}

describe("GET /v1/social/group/users", () => {
  it("lists members with profile and role, earliest joiner first", async () => {
    const { groupId, creator, manager, member } = await createGroupCast();
    const answer = await api("GET", `/v1/social/group/users?groupId=${groupId}`, {
      token: member.token,
    });
    expect(answer.status).toBe(200);
    expect(answer.body.data.nextCursor).toBeNull();
    expect(
      answer.body.data.list.map((
        m: { userId: string; roleLevel: number },
      ) => [m.userId, m.roleLevel]),
    )
      .toEqual([[creator.id, 1], [manager.id, 2], [member.id, 3]]);
    expect(answer.body.data.list[2]).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{32}$/),
      groupId,
      userId: member.id,
      nickname: "Member",
      avatar: "",
      roleLevel: 3,
      joinTime: expect.any(Number),
      joinSource: 1,
      inviterUid: creator.id,
      operatorUid: creator.id,
      muteUntil: 0,
    });
  });

  it("pages with limit and cursor", async () => {
    const { groupId, creator } = await createGroupCast();
    const walked = await collectPages(
      `/v1/social/group/users?groupId=${groupId}`,
      creator.token,
      2,
    );
    expect(walked.pages.map((p) => p.body.data.list.length)).toEqual([2, 1]);
    expect(new Set(walked.ids).size).toBe(3);
  });

  it("answers 404 for an unknown group", async () => {
    const user = await quickUser();
    const answer = await api("GET", `/v1/social/group/users?groupId=${UNKNOWN_ID}`, {
      token: user.token,
    });
    expect(answer.status).toBe(404);
  });

  it.each(["", "groupId=", "groupId=1234", `groupId=${UNKNOWN_ID}&limit=-1`])(
    "refuses ?%s with 400",
    async (query) => {
      const user = await quickUser();
      const answer = await api("GET", `/v1/social/group/users?${query}`, { token: user.token });
      expect(answer.status).toBe(400);
    },
  );
});

describe("POST /v1/social/group/quit", () => {
  it("removes the caller and lowers memberCount", async () => {
    const { groupId, member, creator } = await createGroupCast();
    const answer = await quit(member, groupId);
    expect(answer.status).toBe(200);
    expect(answer.body.data).toEqual({});
    expect(await roleOf(groupId, member.id, creator.token)).toBeUndefined();
    expect(await storedMemberCount(groupId)).toBe(2);
  });

  it("refuses the creator with 409 until ownership is transferred", async () => {
    const { groupId, creator, manager } = await createGroupCast();
    const refused = await quit(creator, groupId);
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe(100007);
    expect(refused.body.msg).toContain("transfer");
    await setRole(groupId, creator, manager, 1);
    expect((await quit(creator, groupId)).status).toBe(200);
    expect(await storedMemberCount(groupId)).toBe(2);
  });

  it("refuses someone who already left with 403", async () => {
    const { groupId, member } = await createGroupCast();
    await quit(member, groupId);
    const again = await quit(member, groupId);
    expect(again.status).toBe(403);
    expect(again.body.code).toBe(100006);
  });

  it.each([["no body", undefined], ["a missing groupId", {}], ["a malformed groupId", {
    groupId: [],
  }]])(
    "refuses %s with 400",
    async (_label, body) => {
      const user = await quickUser();
      const answer = await api("POST", "/v1/social/group/quit", { token: user.token, body });
      expect(answer.status).toBe(400);
    },
  );
});

describe("POST /v1/social/group/kick", () => {
  it("lets the creator kick a manager", async () => {
    const { groupId, creator, manager } = await createGroupCast();
    const answer = await kick(creator, groupId, manager.id);
    expect(answer.status).toBe(200);
    expect(await roleOf(groupId, manager.id, creator.token)).toBeUndefined();
    expect(await storedMemberCount(groupId)).toBe(2);
  });

  it("lets a manager kick a plain member", async () => {
    const { groupId, manager, member } = await createGroupCast();
    expect((await kick(manager, groupId, member.id)).status).toBe(200);
    expect(await memberCountInDb(groupId)).toBe(2);
  });

  it("refuses a manager kicking another manager or the creator with 403", async () => {
    const { groupId, creator, manager, member } = await createGroupCast();
    await setRole(groupId, creator, member, 2);
    for (const target of [member, creator]) {
      const answer = await kick(manager, groupId, target.id);
      expect(answer.status).toBe(403);
      expect(answer.body.msg).toContain("only members");
    }
    expect(await memberCountInDb(groupId)).toBe(3);
  });

  it("answers 404 when the target is not a member", async () => {
    const { groupId, creator, outsider } = await createGroupCast();
    const answer = await kick(creator, groupId, outsider.id);
    expect(answer.status).toBe(404);
  });

  it("refuses kicking yourself with 400", async () => {
    const { groupId, manager } = await createGroupCast();
    expect((await kick(manager, groupId, manager.id)).status).toBe(400);
  });

  it.each([
    ["a missing userId", { userId: undefined }],
    ["a malformed userId", { userId: "u" }],
    ["a missing groupId", { groupId: undefined }],
  ])("refuses %s with 400", async (_label, override) => {
    const { groupId, creator, member } = await createGroupCast();
    const answer = await api("POST", "/v1/social/group/kick", {
      token: creator.token,
      body: { groupId, userId: member.id, ...override },
    });
    expect(answer.status).toBe(400);
  });
});

describe("PUT /v1/social/group/role", () => {
  it("makes a member a manager and back", async () => {
    const { groupId, creator, member } = await createGroupCast();
    const promoted = await role(creator, groupId, member.id, 2);
    expect(promoted.status).toBe(200);
    expect(promoted.body.data).toMatchObject({
      groupId,
      userId: member.id,
      roleLevel: 2,
      nickname: "Member",
    });
    const demoted = await role(creator, groupId, member.id, 3);
    expect(demoted.body.data.roleLevel).toBe(3);
  });

  it("transfers ownership with roleLevel 1: new creator, old one a manager, creatorUid follows", async () => {
    const { groupId, creator, member } = await createGroupCast();
    const answer = await role(creator, groupId, member.id, 1);
    expect(answer.status).toBe(200);
    expect(answer.body.data.roleLevel).toBe(1);
    expect(await roleOf(groupId, creator.id, member.token)).toBe(2);
    const groups = await api("GET", "/v1/social/groups", { token: member.token });
    expect(groups.body.data.list[0].creatorUid).toBe(member.id);
    // The old creator lost the creator's rights; the new one has them.
    expect(
      (await api("DELETE", "/v1/social/group", { token: creator.token, body: { groupId } })).status,
    )
      .toBe(403);
    expect((await role(member, groupId, creator.id, 3)).status).toBe(200);
  });

  it("answers 404 when the target is not a member", async () => {
    const { groupId, creator, outsider } = await createGroupCast();
    expect((await role(creator, groupId, outsider.id, 2)).status).toBe(404);
  });

  it("refuses the creator changing their own role with 400", async () => {
    const { groupId, creator } = await createGroupCast();
    for (const level of [1, 2, 3]) {
      expect((await role(creator, groupId, creator.id, level)).status).toBe(400);
    }
  });

  it.each([0, 4, "2", 2.5, null])("refuses roleLevel %s with 400", async (level) => {
    const { groupId, creator, member } = await createGroupCast();
    const answer = await role(creator, groupId, member.id, level);
    expect(answer.status).toBe(400);
    expect(await roleOf(groupId, member.id, creator.token)).toBe(3);
  });

  it("refuses a malformed userId with 400", async () => {
    const owner = await quickUser();
    const group = await createGroup(owner);
    expect((await role(owner, group.id, "nobody", 2)).status).toBe(400);
  });
});

describe("membership after leaving", () => {
  it("a kicked user can come back by invitation", async () => {
    const { groupId, creator, member } = await createGroupCast();
    await kick(creator, groupId, member.id);
    await addMember(groupId, creator, member);
    expect(await roleOf(groupId, member.id, creator.token)).toBe(3);
  });
});
