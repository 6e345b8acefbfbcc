// Issue finding 1, replayed at its scale: ten accounts that are not the victim's friends each
// own 50 groups and invite the victim into every one. Before CONTRACT §15 this made the victim
// a member of all 500 (their own `POST /group` then 409); now it leaves 500 invitations they may
// ignore, and no membership.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { newId } from "../../../shared/ids.ts";
import { MAX_GROUPS_PER_USER } from "../../../shared/limits.ts";
import { api, type TestUser } from "../../helpers/http.ts";
import { countRows, invite, quickUser } from "../../helpers/social.ts";

const ACCOUNTS = 10;
const GROUPS_EACH = 50;

/**
 * One attacker: GROUPS_EACH groups (written straight to D1: creating them is not the attack),
 * the victim invited into each through the API; the invites' statuses.
 */
async function attack(victim: TestUser): Promise<number[]> {
  const attacker = await quickUser("Attacker");
  const groupIds = await groupsOf(attacker, GROUPS_EACH);
  const statuses: number[] = [];
  for (const groupId of groupIds) statuses.push((await invite(attacker, groupId, victim)).status);
  return statuses;
}

/** `count` groups created by `owner`, written straight to D1. */
async function groupsOf(owner: TestUser, count: number): Promise<string[]> {
  const now = Date.now();
  const ids = Array.from({ length: count }, () => newId());
  await env.DB.batch(ids.flatMap((groupId) => [
    env.DB.prepare(
      "INSERT INTO groups (id, name, creator_uid, member_count, created_at) VALUES (?, 'trap', ?, 1, ?)",
    ).bind(groupId, owner.id, now),
    env.DB.prepare(
      "INSERT INTO group_members (id, group_id, user_id, role_level, join_time, join_source) VALUES (?, ?, ?, 1, ?, 2)",
    ).bind(newId(), groupId, owner.id, now),
  ]));
  return ids;
}

describe("forced group membership (finding 1)", () => {
  it(
    `${ACCOUNTS} strangers × ${GROUPS_EACH} groups leave the victim in no group`,
    async () => {
      const victim = await quickUser("Victim");
      const statuses = (await Promise.all(Array.from({ length: ACCOUNTS }, () => attack(victim))))
        .flat();
      const own = await api("POST", "/v1/social/group", {
        token: victim.token,
        body: { name: "Mine" },
      });
      const counts = {
        invitesAnswered200: statuses.filter((status) => status === 200).length,
        victimMemberships: await countRows(
          "SELECT count(*) AS n FROM group_members WHERE user_id = ?",
          victim.id,
        ),
        pendingInvitations: await countRows(
          "SELECT count(*) AS n FROM group_invitations WHERE invitee_uid = ? AND status = 1",
          victim.id,
        ),
        victimsOwnCreate: own.status,
      };
      expect(counts).toEqual({
        invitesAnswered200: ACCOUNTS * GROUPS_EACH,
        victimMemberships: 1, // their own group only
        pendingInvitations: MAX_GROUPS_PER_USER,
        victimsOwnCreate: 200,
      });
    },
    180_000,
  );
});
