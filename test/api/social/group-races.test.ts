/**
 * Races between group operations, run concurrently against D1 through the services (service
 * calls in one isolate interleave at every query; see friend-races.test.ts).
 */
import { describe, expect, it } from "vitest";
import { noMembershipEvents } from "../../../shared/social/events.ts";
import { handleJoinRequest, requestToJoin } from "../../../shared/social/group-join-service.ts";
import { setMemberRole } from "../../../shared/social/group-member-service.ts";
import { createGroup, dissolveGroup } from "../../../shared/social/group-service.ts";
import { createD1TestDb } from "../../helpers/d1-db.ts";
import {
  befriendInDb,
  countRows,
  fillGroup,
  memberCountInDb,
  quickUser,
  recordingEvents,
  storedMemberCount,
} from "../../helpers/social.ts";

const db = createD1TestDb();
const none = noMembershipEvents;

function memberRowsOf(groupId: string, userId: string) {
  return countRows(
    "SELECT count(*) AS n FROM group_members WHERE group_id = ? AND user_id = ?",
    groupId,
    userId,
  );
}

async function verifyingGroupWithManager() {
  const [creator, manager, applicant] = await Promise.all([
    quickUser(),
    quickUser(),
    quickUser(),
  ]);
  const group = await createGroup({ db, events: none, userId: creator.id }, {
    name: "Race",
    isVerify: true,
  });
  await befriendInDb(creator, manager);
  await requestToJoin({ db, events: none, userId: creator.id }, {
    groupId: group.id,
    joinSource: 1,
    inviteeUid: manager.id,
  });
  await setMemberRole({ db, events: none, userId: creator.id }, {
    groupId: group.id,
    userId: manager.id,
    roleLevel: 2,
  });
  const request = await requestToJoin({ db, events: none, userId: applicant.id }, {
    groupId: group.id,
    joinSource: 2,
  });
  return { group, creator, manager, applicant, request };
}

describe("racing join approvals", () => {
  it("makes one membership when the creator and a manager approve one request at once", async () => {
    const { group, creator, manager, applicant, request } = await verifyingGroupWithManager();
    const { events, calls } = recordingEvents();
    const results = await Promise.allSettled(
      [creator, manager, creator, manager].map((actor) =>
        handleJoinRequest({ db, events, userId: actor.id }, {
          groupId: group.id,
          groupReqId: request.id,
          handleResult: 2,
        })
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results.filter((r) => r.status === "rejected")) {
      expect((r as PromiseRejectedResult).reason).toMatchObject({ status: 409 });
    }
    expect(await memberRowsOf(group.id, applicant.id)).toBe(1);
    expect(await storedMemberCount(group.id)).toBe(3);
    expect(calls).toEqual([["groupMemberJoined", group.id, applicant.id]]);
  });

  it.each(["refuse first", "approve first"] as const)(
    "lets one of an approval and a refusal win (%s), with membership only if approved",
    async (order) => {
      const { group, creator, manager, applicant, request } = await verifyingGroupWithManager();
      const handle = (actorId: string, handleResult: number) =>
        handleJoinRequest({ db, events: none, userId: actorId }, {
          groupId: group.id,
          groupReqId: request.id,
          handleResult,
        });
      const [approve, refuse] = order === "approve first"
        ? await Promise.allSettled([handle(creator.id, 2), handle(manager.id, 3)])
        : (await Promise.allSettled([handle(manager.id, 3), handle(creator.id, 2)])).reverse();
      expect([approve!.status, refuse!.status].sort()).toEqual(["fulfilled", "rejected"]);
      const approved = approve!.status === "fulfilled";
      expect(await memberRowsOf(group.id, applicant.id)).toBe(approved ? 1 : 0);
      expect(await storedMemberCount(group.id)).toBe(approved ? 3 : 2);
    },
  );

  it("leaves one pending request when one user applies five times at once", async () => {
    const [owner, applicant] = await Promise.all([quickUser(), quickUser()]);
    const group = await createGroup({ db, events: none, userId: owner.id }, {
      name: "Race",
      isVerify: true,
    });
    const answers = await Promise.all(
      Array.from(
        { length: 5 },
        () =>
          requestToJoin({ db, events: none, userId: applicant.id }, {
            groupId: group.id,
            joinSource: 2,
          }),
      ),
    );
    expect(new Set(answers.map((a) => a.id)).size).toBe(1);
    expect(
      await countRows("SELECT count(*) AS n FROM group_requests WHERE group_id = ?", group.id),
    ).toBe(1);
  });

  it("makes one membership when one user joins an open group five times at once", async () => {
    const [owner, joiner] = await Promise.all([quickUser(), quickUser()]);
    const group = await createGroup({ db, events: none, userId: owner.id }, { name: "Open" });
    const { events, calls } = recordingEvents();
    const results = await Promise.allSettled(
      Array.from(
        { length: 5 },
        () =>
          requestToJoin({ db, events, userId: joiner.id }, { groupId: group.id, joinSource: 2 }),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await memberRowsOf(group.id, joiner.id)).toBe(1);
    expect(await storedMemberCount(group.id)).toBe(2);
    expect(calls).toHaveLength(1);
  });

  it("lets exactly as many in as there is room when joins race at the cap", async () => {
    const owner = await quickUser();
    const joiners = await Promise.all(Array.from({ length: 5 }, () => quickUser()));
    const group = await createGroup({ db, events: none, userId: owner.id }, {
      name: "Almost full",
    });
    await fillGroup(group.id, 497); // 498 members: room for two
    const results = await Promise.allSettled(
      joiners.map((j) =>
        requestToJoin({ db, events: none, userId: j.id }, { groupId: group.id, joinSource: 2 })
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(2);
    for (const r of results.filter((r) => r.status === "rejected")) {
      expect((r as PromiseRejectedResult).reason.message).toContain("group is full");
    }
    expect(await memberCountInDb(group.id)).toBe(500);
    expect(await storedMemberCount(group.id)).toBe(500);
  });
});

describe("racing dissolve and ownership", () => {
  it.each(["dissolve first", "approve first"] as const)(
    "leaves no member behind when a dissolve races an approval (%s)",
    async (order) => {
      const { group, creator, manager, applicant, request } = await verifyingGroupWithManager();
      const { events, calls } = recordingEvents();
      const dissolve = () =>
        dissolveGroup({ db, events, userId: creator.id }, { groupId: group.id });
      const approve = () =>
        handleJoinRequest({ db, events, userId: manager.id }, {
          groupId: group.id,
          groupReqId: request.id,
          handleResult: 2,
        });
      if (order === "dissolve first") await Promise.allSettled([dissolve(), approve()]);
      else await Promise.allSettled([approve(), dissolve()]);
      expect(await memberCountInDb(group.id)).toBe(0);
      const dissolved = calls.find((c) => c[0] === "groupDissolved");
      const joined = calls.some((c) => c[0] === "groupMemberJoined");
      // Whoever the dissolve removed is announced; a joiner it removed is among them.
      const expected = [creator.id, manager.id, ...(joined ? [applicant.id] : [])].sort();
      expect((dissolved?.[2] as string[]).sort()).toEqual(expected);
    },
  );

  it("leaves one creator when two transfers race", async () => {
    const [owner, a, b] = await Promise.all([quickUser(), quickUser(), quickUser()]);
    const group = await createGroup({ db, events: none, userId: owner.id }, { name: "Crown" });
    for (const user of [a, b]) {
      await befriendInDb(owner, user);
      await requestToJoin({ db, events: none, userId: owner.id }, {
        groupId: group.id,
        joinSource: 1,
        inviteeUid: user.id,
      });
    }
    const results = await Promise.allSettled(
      [a, b].map((user) =>
        setMemberRole({ db, events: none, userId: owner.id }, {
          groupId: group.id,
          userId: user.id,
          roleLevel: 1,
        })
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(
      await countRows(
        "SELECT count(*) AS n FROM group_members WHERE group_id = ? AND role_level = 1",
        group.id,
      ),
    ).toBe(1);
    const creatorRole = await countRows(
      "SELECT count(*) AS n FROM group_members m JOIN groups g ON g.id = m.group_id AND g.creator_uid = m.user_id WHERE g.id = ? AND m.role_level = 1",
      group.id,
    );
    expect(creatorRole).toBe(1);
    expect(
      await countRows(
        "SELECT role_level AS n FROM group_members WHERE group_id = ? AND user_id = ?",
        group.id,
        owner.id,
      ),
    ).toBe(2);
  });
});
