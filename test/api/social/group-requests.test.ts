import { describe, expect, it } from "vitest";
import { api } from "../../helpers/http.ts";
import {
  addMember,
  applyToGroup,
  collectPages,
  countRows,
  createGroup,
  createGroupCast,
  fillGroup,
  makeFriends,
  memberCountInDb,
  quickUser,
  storedMemberCount,
} from "../../helpers/social.ts";

const UNKNOWN_ID = "0123456789abcdef0123456789abcdef";

function invite(inviter: { token: string }, groupId: string, inviteeUid: string) {
  return api("POST", "/v1/social/group/putIn", {
    token: inviter.token,
    body: { groupId, joinSource: 1, inviteeUid },
  });
}

function handleJoin(actor: { token: string }, groupId: string, groupReqId: string, result: number) {
  return api("PUT", "/v1/social/group/putIn", {
    token: actor.token,
    body: { groupId, groupReqId, handleResult: result },
  });
}

async function memberRow(groupId: string, userId: string, token: string) {
  const answer = await api("GET", `/v1/social/group/users?groupId=${groupId}&limit=200`, { token });
  return answer.body.data.list.find((m: { userId: string }) => m.userId === userId);
}

describe("POST /v1/social/group/putIn", () => {
  it("lets an applicant into a group without verification at once", async () => {
    const [owner, joiner] = await Promise.all([quickUser(), quickUser("Joiner")]);
    const group = await createGroup(owner, { isVerify: false });
    const answer = await applyToGroup(joiner, group.id, "let me in");
    expect(answer.status).toBe(200);
    expect(answer.body.data).toMatchObject({
      groupId: group.id,
      reqId: joiner.id,
      reqMsg: "let me in",
      joinSource: 2,
      inviterUid: "",
      handleResult: 2,
    });
    expect(answer.body.data.handleTime).toEqual(expect.any(Number));
    expect(await memberRow(group.id, joiner.id, owner.token)).toMatchObject({
      nickname: "Joiner",
      roleLevel: 3,
      joinSource: 2,
      inviterUid: "",
    });
    expect(await storedMemberCount(group.id)).toBe(2);
  });

  it("makes a pending request when the group verifies applicants", async () => {
    const [owner, joiner] = await Promise.all([quickUser(), quickUser()]);
    const group = await createGroup(owner, { isVerify: true });
    const answer = await applyToGroup(joiner, group.id);
    expect(answer.status).toBe(200);
    expect(answer.body.data).toMatchObject({ reqId: joiner.id, handleResult: 1, handleTime: null });
    expect(await memberCountInDb(group.id)).toBe(1);
  });

  it("returns the pending request on a second application instead of adding a row", async () => {
    const [owner, joiner] = await Promise.all([quickUser(), quickUser()]);
    const group = await createGroup(owner, { isVerify: true });
    const first = await applyToGroup(joiner, group.id, "one");
    const second = await applyToGroup(joiner, group.id, "two");
    expect(second.body.data.id).toBe(first.body.data.id);
    expect(second.body.data.reqMsg).toBe("one");
    expect(await countRows("SELECT count(*) AS n FROM group_requests WHERE group_id = ?", group.id))
      .toBe(1);
  });

  it("lets a plain member's invite of a friend into a verifying group wait for a manager", async () => {
    const { groupId, member, outsider } = await createGroupCast({ isVerify: true });
    await makeFriends(member, outsider);
    const answer = await invite(member, groupId, outsider.id);
    expect(answer.status).toBe(200);
    expect(answer.body.data).toMatchObject({
      reqId: outsider.id,
      joinSource: 1,
      inviterUid: member.id,
      handleResult: 1,
    });
    expect(await memberCountInDb(groupId)).toBe(3);
  });

  it("lets a plain member's invite of a friend into a group without verification in at once", async () => {
    const { groupId, member, outsider } = await createGroupCast({ isVerify: false });
    await makeFriends(member, outsider);
    const answer = await invite(member, groupId, outsider.id);
    expect(answer.body.data.handleResult).toBe(2);
    expect(await memberCountInDb(groupId)).toBe(4);
  });

  it.each(["creator", "manager"] as const)(
    "lets the %s's invite of a friend into a verifying group in at once",
    async (who) => {
      const cast = await createGroupCast({ isVerify: true });
      await makeFriends(cast[who], cast.outsider);
      const answer = await invite(cast[who], cast.groupId, cast.outsider.id);
      expect(answer.status).toBe(200);
      expect(answer.body.data).toMatchObject({ handleResult: 2, inviterUid: cast[who].id });
      expect(await memberRow(cast.groupId, cast.outsider.id, cast.creator.token)).toMatchObject({
        roleLevel: 3,
        joinSource: 1,
        inviterUid: cast[who].id,
        operatorUid: cast[who].id,
      });
      expect(await storedMemberCount(cast.groupId)).toBe(4);
    },
  );

  it("passes the invitee's own pending application when a manager invites them", async () => {
    const { groupId, manager, outsider } = await createGroupCast({ isVerify: true });
    const applied = await applyToGroup(outsider, groupId);
    const answer = await invite(manager, groupId, outsider.id);
    expect(answer.body.data).toMatchObject({ id: applied.body.data.id, handleResult: 2 });
    expect(answer.body.data.handleUid).toBe(manager.id);
    expect(
      await countRows(
        "SELECT count(*) AS n FROM group_requests WHERE group_id = ? AND req_id = ?",
        groupId,
        outsider.id,
      ),
    ).toBe(1);
  });

  it("answers 409 to a member applying or being invited again", async () => {
    const { groupId, creator, member } = await createGroupCast();
    for (
      const answer of [
        await applyToGroup(member, groupId),
        await invite(creator, groupId, member.id),
      ]
    ) {
      expect(answer.status).toBe(409);
      expect(answer.body.code).toBe(100007);
    }
  });

  it("refuses an invite from someone who is not a member with 403", async () => {
    const { groupId, outsider } = await createGroupCast();
    const friend = await quickUser();
    const answer = await invite(outsider, groupId, friend.id);
    expect(answer.status).toBe(403);
    expect(answer.body.code).toBe(100006);
  });

  it("answers 404 for an unknown group or an unknown invitee", async () => {
    const { groupId, creator } = await createGroupCast();
    expect((await applyToGroup(creator, UNKNOWN_ID)).status).toBe(404);
    expect((await invite(creator, groupId, UNKNOWN_ID)).status).toBe(404);
  });

  it("refuses to go past the member cap with 409 'group is full'", async () => {
    const [owner, joiner, invitee] = await Promise.all([quickUser(), quickUser(), quickUser()]);
    const group = await createGroup(owner);
    await fillGroup(group.id, 499);
    expect(await storedMemberCount(group.id)).toBe(500);
    for (
      const answer of [
        await applyToGroup(joiner, group.id),
        await invite(owner, group.id, invitee.id),
      ]
    ) {
      expect(answer.status).toBe(409);
      expect(answer.body).toMatchObject({ code: 100007, data: null });
      expect(answer.body.msg).toContain("group is full");
    }
    expect(await memberCountInDb(group.id)).toBe(500);
  });

  it("holds the cap in SQL even when the stored memberCount is stale", async () => {
    const [owner, joiner] = await Promise.all([quickUser(), quickUser()]);
    const group = await createGroup(owner);
    await fillGroup(group.id, 499);
    await countRows("UPDATE groups SET member_count = 3 WHERE id = ? RETURNING 0 AS n", group.id);
    const answer = await applyToGroup(joiner, group.id);
    expect(answer.status).toBe(409);
    expect(answer.body.msg).toContain("group is full");
    expect(await memberCountInDb(group.id)).toBe(500);
  });

  it.each([
    ["a missing groupId", { groupId: undefined }],
    ["a malformed groupId", { groupId: "group-1" }],
    ["a missing joinSource", { joinSource: undefined }],
    ["joinSource 3", { joinSource: 3 }],
    ["joinSource as a string", { joinSource: "2" }],
    ["an invite without inviteeUid", { joinSource: 1 }],
    ["a malformed inviteeUid", { joinSource: 1, inviteeUid: "x" }],
    ["a reqMsg over 200 characters", { reqMsg: "m".repeat(201) }],
  ])("refuses %s with 400", async (_label, override) => {
    const { groupId, creator } = await createGroupCast();
    const answer = await api("POST", "/v1/social/group/putIn", {
      token: creator.token,
      body: { groupId, joinSource: 2, ...override },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe(100002);
  });
});

describe("PUT /v1/social/group/putIn", () => {
  it("lets a manager pass a request: the applicant becomes a member", async () => {
    const { groupId, manager, outsider } = await createGroupCast({ isVerify: true });
    const applied = await applyToGroup(outsider, groupId);
    const answer = await handleJoin(manager, groupId, applied.body.data.id, 2);
    expect(answer.status).toBe(200);
    expect(answer.body.data).toMatchObject({
      id: applied.body.data.id,
      handleResult: 2,
      handleUid: manager.id,
    });
    expect(answer.body.data.handleTime).toEqual(expect.any(Number));
    expect(await memberRow(groupId, outsider.id, manager.token)).toMatchObject({
      roleLevel: 3,
      joinSource: 2,
      operatorUid: manager.id,
    });
    expect(await storedMemberCount(groupId)).toBe(4);
  });

  it("lets the creator refuse a request: no membership", async () => {
    const { groupId, creator, outsider } = await createGroupCast({ isVerify: true });
    const applied = await applyToGroup(outsider, groupId);
    const answer = await handleJoin(creator, groupId, applied.body.data.id, 3);
    expect(answer.body.data).toMatchObject({ handleResult: 3, handleUid: creator.id });
    expect(await memberRow(groupId, outsider.id, creator.token)).toBeUndefined();
    expect(await storedMemberCount(groupId)).toBe(3);
  });

  it("answers 409 for a request already handled", async () => {
    const { groupId, creator, manager, outsider } = await createGroupCast({ isVerify: true });
    const applied = await applyToGroup(outsider, groupId);
    await handleJoin(creator, groupId, applied.body.data.id, 3);
    for (const result of [2, 3]) {
      const answer = await handleJoin(manager, groupId, applied.body.data.id, result);
      expect(answer.status).toBe(409);
      expect(answer.body.code).toBe(100007);
    }
  });

  it("answers 404 for an unknown request, or one that belongs to another group", async () => {
    const { groupId, creator, outsider } = await createGroupCast({ isVerify: true });
    const other = await createGroup(outsider, { isVerify: true });
    const stranger = await quickUser();
    const elsewhere = await applyToGroup(stranger, other.id);
    expect((await handleJoin(creator, groupId, UNKNOWN_ID, 2)).status).toBe(404);
    const crossed = await handleJoin(creator, groupId, elsewhere.body.data.id, 2);
    expect(crossed.status).toBe(404);
    expect(
      await countRows(
        "SELECT handle_result AS n FROM group_requests WHERE id = ?",
        elsewhere.body.data.id,
      ),
    )
      .toBe(1);
  });

  it("answers 409 'group is full' and leaves the request pending when there is no room", async () => {
    const [owner, joiner] = await Promise.all([quickUser(), quickUser()]);
    const group = await createGroup(owner, { isVerify: true });
    const applied = await applyToGroup(joiner, group.id);
    await fillGroup(group.id, 499);
    const answer = await handleJoin(owner, group.id, applied.body.data.id, 2);
    expect(answer.status).toBe(409);
    expect(answer.body.msg).toContain("group is full");
    expect(
      await countRows(
        "SELECT handle_result AS n FROM group_requests WHERE id = ?",
        applied.body.data.id,
      ),
    )
      .toBe(1);
  });

  it.each([
    ["handleResult 1", { handleResult: 1 }],
    ["handleResult 4", { handleResult: 4 }],
    ["handleResult as a string", { handleResult: "2" }],
    ["a missing groupReqId", { groupReqId: undefined }],
    ["a malformed groupReqId", { groupReqId: "r" }],
    ["a missing groupId", { groupId: undefined }],
  ])("refuses %s with 400", async (_label, override) => {
    const { groupId, creator, outsider } = await createGroupCast({ isVerify: true });
    const applied = await applyToGroup(outsider, groupId);
    const answer = await api("PUT", "/v1/social/group/putIn", {
      token: creator.token,
      body: { groupId, groupReqId: applied.body.data.id, handleResult: 2, ...override },
    });
    expect(answer.status).toBe(400);
  });
});

describe("GET /v1/social/group/putIns", () => {
  it("lists only the group's pending requests, oldest first, in pages", async () => {
    const { groupId, creator, manager } = await createGroupCast({ isVerify: true });
    const applicants = await Promise.all(Array.from({ length: 4 }, () => quickUser()));
    const ids: string[] = [];
    for (const applicant of applicants) {
      ids.push((await applyToGroup(applicant, groupId)).body.data.id);
    }
    await handleJoin(creator, groupId, ids[1]!, 3);

    const walked = await collectPages(
      `/v1/social/group/putIns?groupId=${groupId}`,
      manager.token,
      2,
    );
    expect(walked.pages.map((p) => p.body.data.list.length)).toEqual([2, 1]);
    expect(walked.ids).toEqual([ids[0], ids[2], ids[3]]);
    expect(walked.pages[0]!.body.data.list[0]).toMatchObject({ groupId, handleResult: 1 });
  });

  it("does not list another group's requests", async () => {
    const { groupId, creator } = await createGroupCast({ isVerify: true });
    const [otherOwner, applicant] = await Promise.all([quickUser(), quickUser()]);
    const other = await createGroup(otherOwner, { isVerify: true });
    await applyToGroup(applicant, other.id);
    const answer = await api("GET", `/v1/social/group/putIns?groupId=${groupId}`, {
      token: creator.token,
    });
    expect(answer.body.data).toEqual({ list: [], nextCursor: null });
  });

  it.each(["", "groupId=abc", `groupId=${UNKNOWN_ID}&limit=0`, `groupId=${UNKNOWN_ID}&cursor=zz`])(
    "refuses ?%s with 400",
    async (query) => {
      const user = await quickUser();
      const answer = await api("GET", `/v1/social/group/putIns?${query}`, { token: user.token });
      expect(answer.status).toBe(400);
    },
  );

  it("answers 404 for an unknown group", async () => {
    const user = await quickUser();
    const answer = await api("GET", `/v1/social/group/putIns?groupId=${UNKNOWN_ID}`, {
      token: user.token,
    });
    expect(answer.status).toBe(404);
  });
});

describe("a member who joined through a request", () => {
  it("can be invited again after quitting", async () => {
    const { groupId, creator, member } = await createGroupCast();
    await api("POST", "/v1/social/group/quit", { token: member.token, body: { groupId } });
    await addMember(groupId, creator, member);
    expect(await storedMemberCount(groupId)).toBe(3);
  });
});
