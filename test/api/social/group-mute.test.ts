/** PUT /v1/social/group/mute (CONTRACT §10): who may mute whom, `until`, and what is stored. */
import { describe, expect, it } from "vitest";
import { MAX_MUTE_AHEAD_MS } from "../../../shared/limits.ts";
import { api, expectRefusal, type TestUser } from "../../helpers/http.ts";
import { addMember, countRows, createGroupCast, setRole } from "../../helpers/social.ts";

const UNKNOWN_ID = "0123456789abcdef0123456789abcdef";
const HOUR_MS = 60 * 60 * 1000;

function mute(actor: TestUser, groupId: string, userId: string, until: unknown) {
  return api("PUT", "/v1/social/group/mute", {
    token: actor.token,
    body: { groupId, userId, until },
  });
}

function storedMuteUntil(groupId: string, userId: string) {
  return countRows(
    "SELECT mute_until AS n FROM group_members WHERE group_id = ? AND user_id = ?",
    groupId,
    userId,
  );
}

describe("PUT /v1/social/group/mute", () => {
  it("lets the creator mute a member and answers the GroupMember with muteUntil", async () => {
    const { groupId, creator, member } = await createGroupCast();
    const until = Date.now() + HOUR_MS;
    const answer = await mute(creator, groupId, member.id, until);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body.data).toMatchObject({
      groupId,
      userId: member.id,
      nickname: "Member",
      roleLevel: 3,
      muteUntil: until,
    });
    expect(await storedMuteUntil(groupId, member.id)).toBe(until);
  });

  it("shows muteUntil in the member list (0 for the others)", async () => {
    const { groupId, creator, manager, member } = await createGroupCast();
    const until = Date.now() + HOUR_MS;
    await mute(creator, groupId, member.id, until);
    const list = await api("GET", `/v1/social/group/users?groupId=${groupId}`, {
      token: member.token,
    });
    const mutes = Object.fromEntries(
      list.body.data.list.map((
        m: { userId: string; muteUntil: number },
      ) => [m.userId, m.muteUntil]),
    );
    expect(mutes).toEqual({ [creator.id]: 0, [manager.id]: 0, [member.id]: until });
  });

  it("lets the creator mute a manager", async () => {
    const { groupId, creator, manager } = await createGroupCast();
    const answer = await mute(creator, groupId, manager.id, Date.now() + HOUR_MS);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body.data.roleLevel).toBe(2);
  });

  it("lets a manager mute a plain member", async () => {
    const { groupId, manager, member } = await createGroupCast();
    const until = Date.now() + HOUR_MS;
    const answer = await mute(manager, groupId, member.id, until);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(await storedMuteUntil(groupId, member.id)).toBe(until);
  });

  it("unmutes with until 0", async () => {
    const { groupId, creator, member } = await createGroupCast();
    await mute(creator, groupId, member.id, Date.now() + HOUR_MS);
    const answer = await mute(creator, groupId, member.id, 0);
    expect(answer.status).toBe(200);
    expect(answer.body.data.muteUntil).toBe(0);
    expect(await storedMuteUntil(groupId, member.id)).toBe(0);
  });

  it("refuses a manager muting the creator with 403, storing nothing", async () => {
    const { groupId, creator, manager } = await createGroupCast();
    const answer = await mute(manager, groupId, creator.id, Date.now() + HOUR_MS);
    expectRefusal(answer, 403, 100006);
    expect(answer.body.msg).toContain("creator");
    expect(await storedMuteUntil(groupId, creator.id)).toBe(0);
  });

  it("refuses a manager muting another manager with 403", async () => {
    const { groupId, creator, manager, outsider: second } = await createGroupCast();
    await addMember(groupId, creator, second);
    await setRole(groupId, creator, second, 2);
    expectRefusal(await mute(manager, groupId, second.id, Date.now() + HOUR_MS), 403, 100006);
    expect(await storedMuteUntil(groupId, second.id)).toBe(0);
  });

  it("refuses a plain member muting anyone with 403", async () => {
    const { groupId, creator, manager, member, outsider: other } = await createGroupCast();
    await addMember(groupId, creator, other);
    for (const target of [creator, manager, other]) {
      expectRefusal(await mute(member, groupId, target.id, Date.now() + HOUR_MS), 403, 100006);
    }
  });

  it("refuses a non-member with 403 and an unknown group with 404", async () => {
    const { groupId, creator, member, outsider } = await createGroupCast();
    expectRefusal(await mute(outsider, groupId, member.id, Date.now() + HOUR_MS), 403, 100006);
    expectRefusal(await mute(creator, UNKNOWN_ID, member.id, Date.now() + HOUR_MS), 404, 100005);
  });

  it("refuses muting yourself with 400", async () => {
    const { groupId, creator, manager } = await createGroupCast();
    for (const actor of [creator, manager]) {
      const answer = await mute(actor, groupId, actor.id, Date.now() + HOUR_MS);
      expectRefusal(answer, 400, 100002);
      expect(answer.body.msg).toContain("userId");
    }
  });

  it("refuses a target who is not a member with 404", async () => {
    const { groupId, creator, outsider } = await createGroupCast();
    expectRefusal(await mute(creator, groupId, outsider.id, Date.now() + HOUR_MS), 404, 100005);
    expectRefusal(await mute(creator, groupId, UNKNOWN_ID, Date.now() + HOUR_MS), 404, 100005);
  });

  it.each([
    ["in the past", () => Date.now() - 1000],
    ["now-ish (already over)", () => Date.now() - 1],
    ["further ahead than the horizon", () => Date.now() + MAX_MUTE_AHEAD_MS + HOUR_MS],
    ["negative", () => -1],
    ["not an integer", () => Date.now() + 1000.5],
    ["a string", () => String(Date.now() + HOUR_MS)],
    ["null", () => null],
  ])("refuses an until %s with 400 + 100002 naming until", async (_what, until) => {
    const { groupId, creator, member } = await createGroupCast();
    const answer = await mute(creator, groupId, member.id, until());
    expectRefusal(answer, 400, 100002);
    expect(answer.body.msg).toContain("until");
    expect(await storedMuteUntil(groupId, member.id)).toBe(0);
  });

  it("accepts an until just inside the horizon", async () => {
    const { groupId, creator, member } = await createGroupCast();
    const until = Date.now() + MAX_MUTE_AHEAD_MS - HOUR_MS;
    expect((await mute(creator, groupId, member.id, until)).status).toBe(200);
  });
});
