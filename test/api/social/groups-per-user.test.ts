// CONTRACT §9: a user's storage is bounded — at most MAX_GROUPS_PER_USER groups joined, held by
// the inserts themselves, so a burst cannot walk past it either.
import { listDurableObjectIds } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { newId } from "../../../shared/ids.ts";
import { MAX_GROUPS_PER_USER } from "../../../shared/limits.ts";
import { api, type TestUser } from "../../helpers/http.ts";
import { applyToGroup, countRows, createGroup, quickUser } from "../../helpers/social.ts";

/** Makes `user` a member of `count` groups of someone else's, written straight into D1. */
async function joinManyGroups(user: TestUser, count: number): Promise<void> {
  const now = Date.now();
  const statements: D1PreparedStatement[] = [];
  for (let i = 0; i < count; i++) {
    const groupId = newId();
    statements.push(
      env.DB.prepare(
        "INSERT INTO groups (id, name, creator_uid, member_count, created_at) VALUES (?, 'g', ?, 1, ?)",
      ).bind(groupId, newId(), now),
      env.DB.prepare(
        "INSERT INTO group_members (id, group_id, user_id, role_level, join_time, join_source) VALUES (?, ?, ?, 3, ?, 2)",
      ).bind(newId(), groupId, user.id, now + i),
    );
  }
  await env.DB.batch(statements);
}

const groupsOf = (user: TestUser) =>
  countRows("SELECT COUNT(*) AS n FROM group_members WHERE user_id = ?", user.id);
const groupsCreatedBy = (user: TestUser) =>
  countRows("SELECT COUNT(*) AS n FROM groups WHERE creator_uid = ?", user.id);

describe(`at most ${MAX_GROUPS_PER_USER} groups per user`, () => {
  it("refuses a create past the limit with 409 + 100007 and stores no group", async () => {
    const user = await quickUser("Joiner");
    await joinManyGroups(user, MAX_GROUPS_PER_USER - 1);
    await createGroup(user, { name: "the last one" });
    const conversationsBefore = (await listDurableObjectIds(env.CONVERSATION)).length;
    const refused = await api("POST", "/v1/social/group", {
      token: user.token,
      body: { name: "one too many" },
    });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe(100007);
    expect(refused.body.msg).toContain(`${MAX_GROUPS_PER_USER} groups`);
    expect(await groupsOf(user)).toBe(MAX_GROUPS_PER_USER);
    expect(await groupsCreatedBy(user)).toBe(1);
    // No conversation was so much as woken for the group that was never made.
    expect((await listDurableObjectIds(env.CONVERSATION)).length).toBe(conversationsBefore);
  });

  it("lets exactly one of two creates at once take the last place", async () => {
    const user = await quickUser("Racer");
    await joinManyGroups(user, MAX_GROUPS_PER_USER - 1);
    const answers = await Promise.all(
      ["a", "b"].map((name) =>
        api("POST", "/v1/social/group", { token: user.token, body: { name } })
      ),
    );
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
    expect(await groupsOf(user)).toBe(MAX_GROUPS_PER_USER);
    expect(await groupsCreatedBy(user)).toBe(1);
  });

  it("refuses to join another group, directly or by approval", async () => {
    const owner = await quickUser("Owner");
    const user = await quickUser("Full");
    const open = await createGroup(owner, { name: "open", isVerify: false });
    const verified = await createGroup(owner, { name: "verified", isVerify: true });
    // A request made while there was room…
    const pending = await applyToGroup(user, verified.id, "let me in");
    expect(pending.status).toBe(200);
    await joinManyGroups(user, MAX_GROUPS_PER_USER);

    const direct = await applyToGroup(user, open.id);
    expect(direct.status).toBe(409);
    expect(direct.body.code).toBe(100007);
    // …is not approved past the limit either.
    const approval = await api("PUT", "/v1/social/group/putIn", {
      token: owner.token,
      body: { groupReqId: pending.body.data.id, groupId: verified.id, handleResult: 2 },
    });
    expect(approval.status).toBe(409);
    expect(approval.body.msg).toContain(`${MAX_GROUPS_PER_USER} groups`);
    expect(await groupsOf(user)).toBe(MAX_GROUPS_PER_USER);
  });
});
