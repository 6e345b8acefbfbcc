// CONTRACT §15 "Consent to groups": an invite of someone who is not the inviter's friend makes a
// pending GroupInvitation only the invitee answers; it never makes them a member on its own.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { GROUP_INVITATIONS_PER_DAY, MAX_GROUPS_PER_USER } from "../../../shared/limits.ts";
import { newId } from "../../../shared/ids.ts";
import { api, type TestUser } from "../../helpers/http.ts";
import {
  answerInvitation,
  countRows,
  createGroup,
  createGroupCast,
  invite,
  makeFriends,
  memberCountInDb,
  quickUser,
} from "../../helpers/social.ts";

const UNKNOWN_ID = "0123456789abcdef0123456789abcdef";

async function invitationsOf(user: TestUser) {
  const answer = await api("GET", "/v1/social/group/invitations", { token: user.token });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body.data.list;
}

async function groupIdsOf(user: TestUser): Promise<string[]> {
  const answer = await api("GET", "/v1/social/groups?limit=200", { token: user.token });
  return answer.body.data.list.map((group: { id: string }) => group.id);
}

/** Makes `userId` a member of `count` groups straight in D1 (the per-user cap's tests). */
async function fillGroupsOf(userId: string, count: number): Promise<void> {
  const now = Date.now();
  const statements: D1PreparedStatement[] = [];
  for (let i = 0; i < count; i++) {
    const groupId = newId();
    statements.push(
      env.DB.prepare(
        "INSERT INTO groups (id, name, creator_uid, member_count, created_at) VALUES (?, 'filler', ?, 1, ?)",
      ).bind(groupId, userId, now),
      env.DB.prepare(
        "INSERT INTO group_members (id, group_id, user_id, role_level, join_time, join_source) VALUES (?, ?, ?, 3, ?, 2)",
      ).bind(newId(), groupId, userId, now + i),
    );
  }
  await env.DB.batch(statements);
}

describe("POST /v1/social/group/putIn (invite of a non-friend)", () => {
  it("makes a pending invitation and does not make the invitee a member", async () => {
    const { groupId, creator, outsider } = await createGroupCast();
    const answer = await invite(creator, groupId, outsider);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body.data).toEqual({
      id: expect.any(String),
      groupId,
      inviterUid: creator.id,
      inviteeUid: outsider.id,
      createdAt: expect.any(Number),
      status: 1,
    });
    expect(await memberCountInDb(groupId)).toBe(3);
    expect(await groupIdsOf(outsider)).toEqual([]);
    expect(await invitationsOf(outsider)).toEqual([answer.body.data]);
  });

  it("still lets a friend's invite join at once (CONTRACT §4)", async () => {
    const { groupId, creator, outsider } = await createGroupCast();
    await makeFriends(creator, outsider);
    const answer = await invite(creator, groupId, outsider);
    expect(answer.body.data).toMatchObject({ reqId: outsider.id, handleResult: 2 });
    expect(await groupIdsOf(outsider)).toEqual([groupId]);
    expect(await invitationsOf(outsider)).toEqual([]);
  });

  it("returns the pending invitation on a second invite instead of adding a row", async () => {
    const { groupId, creator, outsider } = await createGroupCast();
    const first = await invite(creator, groupId, outsider);
    const second = await invite(creator, groupId, outsider);
    expect(second.body.data).toEqual(first.body.data);
    expect(
      await countRows(
        "SELECT count(*) AS n FROM group_invitations WHERE invitee_uid = ?",
        outsider.id,
      ),
    )
      .toBe(1);
  });

  it("refuses an invite from someone the invitee blocks with 403, storing nothing", async () => {
    const { groupId, creator, manager, outsider } = await createGroupCast();
    await makeFriends(manager, outsider);
    for (const blocked of [creator, manager]) {
      const block = await api("POST", "/v1/social/block", {
        token: outsider.token,
        body: { userId: blocked.id },
      });
      expect(block.status).toBe(200);
      const answer = await invite(blocked, groupId, outsider);
      expect(answer.status, blocked === manager ? "a blocked friend" : "a stranger").toBe(403);
      expect(answer.body.code).toBe(100006);
    }
    expect(
      await countRows(
        "SELECT count(*) AS n FROM group_invitations WHERE invitee_uid = ?",
        outsider.id,
      ),
    )
      .toBe(0);
    expect(await memberCountInDb(groupId)).toBe(3);
  });

  it(
    `answers the ${
      GROUP_INVITATIONS_PER_DAY.limit + 1
    }st invitation of a day with 429 and Retry-After`,
    async () => {
      const inviter = await quickUser("Inviter");
      const group = await createGroup(inviter);
      const invitees = await Promise.all(
        Array.from({ length: GROUP_INVITATIONS_PER_DAY.limit + 1 }, () => quickUser()),
      );
      for (const invitee of invitees.slice(0, -1)) {
        const answer = await invite(inviter, group.id, invitee);
        expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      }
      const over = await invite(inviter, group.id, invitees.at(-1)!);
      expect(over.status).toBe(429);
      expect(over.body.code).toBe(100008);
      expect(Number(over.headers.get("Retry-After"))).toBeGreaterThan(0);
      expect(
        await countRows(
          "SELECT count(*) AS n FROM group_invitations WHERE inviter_uid = ?",
          inviter.id,
        ),
      )
        .toBe(GROUP_INVITATIONS_PER_DAY.limit);
      // A repeat of a pending invitation takes no slot, and a friend's invite is no invitation.
      expect((await invite(inviter, group.id, invitees[0]!)).status).toBe(200);
      const friend = await quickUser();
      await makeFriends(inviter, friend);
      expect((await invite(inviter, group.id, friend)).body.data.handleResult).toBe(2);
    },
    30_000,
  );
});

describe("PUT /v1/social/group/invitation", () => {
  it("joins the invitee at once when they accept a creator's invitation", async () => {
    const { groupId, creator, outsider } = await createGroupCast({ isVerify: true });
    const invitation = (await invite(creator, groupId, outsider)).body.data;
    const answer = await answerInvitation(outsider, invitation.id, true);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body.data.invitation).toMatchObject({ id: invitation.id, status: 2 });
    expect(answer.body.data.request).toMatchObject({
      groupId,
      reqId: outsider.id,
      joinSource: 1,
      inviterUid: creator.id,
      handleResult: 2,
    });
    expect(await groupIdsOf(outsider)).toEqual([groupId]);
    expect(await invitationsOf(outsider)).toEqual([]);
  });

  it("answers the other members' invitations of the same group once the invitee joined", async () => {
    const { groupId, creator, manager, outsider } = await createGroupCast();
    const byCreator = (await invite(creator, groupId, outsider)).body.data;
    const byManager = (await invite(manager, groupId, outsider)).body.data;
    expect((await answerInvitation(outsider, byCreator.id, true)).status).toBe(200);
    expect(await invitationsOf(outsider)).toEqual([]);
    const late = await answerInvitation(outsider, byManager.id, true);
    expect(late.status).toBe(409);
    expect(late.body.msg).toContain("already answered");
  });

  it("leaves a plain member's invitation into a verifying group to a manager's yes", async () => {
    const { groupId, member, outsider } = await createGroupCast({ isVerify: true });
    const invitation = (await invite(member, groupId, outsider)).body.data;
    const answer = await answerInvitation(outsider, invitation.id, true);
    expect(answer.body.data.request).toMatchObject({ reqId: outsider.id, handleResult: 1 });
    expect(await memberCountInDb(groupId)).toBe(3);
  });

  it("declines: not a member, the invitation no longer listed, a second answer 409", async () => {
    const { groupId, creator, outsider } = await createGroupCast();
    const invitation = (await invite(creator, groupId, outsider)).body.data;
    const declined = await answerInvitation(outsider, invitation.id, false);
    expect(declined.status).toBe(200);
    expect(declined.body.data).toEqual({ invitation: { ...invitation, status: 3 }, request: null });
    expect(await groupIdsOf(outsider)).toEqual([]);
    expect(await invitationsOf(outsider)).toEqual([]);
    const again = await answerInvitation(outsider, invitation.id, true);
    expect(again.status).toBe(409);
    expect(await memberCountInDb(groupId)).toBe(3);
  });

  it("lets only the invitee answer: the inviter 403, anyone else 404", async () => {
    const { groupId, creator, member, outsider } = await createGroupCast();
    const invitation = (await invite(creator, groupId, outsider)).body.data;
    const byInviter = await answerInvitation(creator, invitation.id, true);
    expect(byInviter.status).toBe(403);
    expect(byInviter.body.code).toBe(100006);
    for (const [who, id] of [[member, invitation.id], [outsider, UNKNOWN_ID]] as const) {
      const answer = await answerInvitation(who, id, true);
      expect(answer.status).toBe(404);
      expect(answer.body.code).toBe(100005);
    }
    expect(await memberCountInDb(groupId)).toBe(3);
    expect(await invitationsOf(outsider)).toHaveLength(1);
  });

  it("finds the invitation cancelled once the group is dissolved or the inviter left", async () => {
    const { groupId, creator, manager, outsider } = await createGroupCast();
    const byManager = (await invite(manager, groupId, outsider)).body.data;
    const byCreator = (await invite(creator, groupId, outsider)).body.data;
    await api("POST", "/v1/social/group/quit", { token: manager.token, body: { groupId } });
    expect(await invitationsOf(outsider)).toEqual([byCreator]);
    expect((await answerInvitation(outsider, byManager.id, true)).status).toBe(409);
    await api("DELETE", "/v1/social/group", { token: creator.token, body: { groupId } });
    expect(await invitationsOf(outsider)).toEqual([]);
    expect((await answerInvitation(outsider, byCreator.id, true)).status).toBe(409);
    expect(await groupIdsOf(outsider)).toEqual([]);
  });

  it("lets an invitation expire after 7 days; a new invite then makes a fresh one", async () => {
    const { groupId, creator, outsider } = await createGroupCast();
    const old = (await invite(creator, groupId, outsider)).body.data;
    await countRows(
      "UPDATE group_invitations SET created_at = created_at - 8 * 86400000 WHERE id = ? RETURNING 0 AS n",
      old.id,
    );
    expect(await invitationsOf(outsider)).toEqual([]);
    const late = await answerInvitation(outsider, old.id, true);
    expect(late.status).toBe(409);
    expect(late.body.msg).toContain("expired");
    const fresh = (await invite(creator, groupId, outsider)).body.data;
    expect(fresh.id).not.toBe(old.id);
    expect((await answerInvitation(outsider, fresh.id, true)).body.data.request.handleResult)
      .toBe(2);
  });
});

describe("pending invitations and the per-user group cap", () => {
  it(
    `do not count toward the invitee's ${MAX_GROUPS_PER_USER} groups`,
    async () => {
      const [victim, friend] = await Promise.all([quickUser("Victim"), quickUser("Friend")]);
      await fillGroupsOf(victim.id, MAX_GROUPS_PER_USER - 2);
      for (let i = 0; i < 5; i++) {
        const stranger = await quickUser("Stranger");
        const group = await createGroup(stranger);
        await invite(stranger, group.id, victim);
      }
      // The victim's own group and a friend's invite still fit: 499th and 500th.
      const own = await api("POST", "/v1/social/group", {
        token: victim.token,
        body: { name: "Mine" },
      });
      expect(own.status, JSON.stringify(own.body)).toBe(200);
      expect(await invitationsOf(victim)).toHaveLength(5);
      await makeFriends(victim, friend);
      const friendsGroup = await createGroup(friend);
      const joined = await invite(friend, friendsGroup.id, victim);
      expect(joined.body.data.handleResult).toBe(2);
      expect(
        await countRows("SELECT count(*) AS n FROM group_members WHERE user_id = ?", victim.id),
      ).toBe(MAX_GROUPS_PER_USER);
    },
    30_000,
  );
});

describe("GET /v1/social/group/invitations", () => {
  it("lists only the caller's own pending invitations, oldest first, in pages", async () => {
    const { groupId, creator, manager, outsider } = await createGroupCast();
    const other = await quickUser();
    const first = (await invite(creator, groupId, outsider)).body.data;
    const second = (await invite(manager, groupId, outsider)).body.data;
    await invite(creator, groupId, other);
    const page = await api("GET", "/v1/social/group/invitations?limit=1", {
      token: outsider.token,
    });
    expect(page.body.data.list).toEqual([first]);
    const next = await api(
      "GET",
      `/v1/social/group/invitations?limit=1&cursor=${page.body.data.nextCursor}`,
      { token: outsider.token },
    );
    expect(next.body.data).toEqual({ list: [second], nextCursor: null });
  });
});
