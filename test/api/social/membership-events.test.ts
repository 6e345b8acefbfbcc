/**
 * The events the chat objects depend on: each membership change announces itself exactly once,
 * with the right arguments, and refused operations announce nothing.
 */
import { describe, expect, it } from "vitest";
import { noMembershipEvents } from "../../../shared/social/events.ts";
import {
  askFriend,
  deleteFriend,
  handleFriendRequest,
} from "../../../shared/social/friend-service.ts";
import { handleJoinRequest, requestToJoin } from "../../../shared/social/group-join-service.ts";
import {
  kickMember,
  quitGroup,
  setMemberRole,
} from "../../../shared/social/group-member-service.ts";
import { createGroup, dissolveGroup, updateGroup } from "../../../shared/social/group-service.ts";
import { createD1TestDb } from "../../helpers/d1-db.ts";
import { befriendInDb, quickUser, recordingEvents } from "../../helpers/social.ts";

const db = createD1TestDb();
const none = noMembershipEvents;

async function pair() {
  return await Promise.all([quickUser(), quickUser()]);
}

describe("friend events", () => {
  it("passing a request announces friendshipCreated(asked, asker) once", async () => {
    const [alice, bob] = await pair();
    const request = await askFriend({ db, events: none, userId: alice.id }, { userUid: bob.id });
    const { events, calls } = recordingEvents();
    await handleFriendRequest({ db, events, userId: bob.id }, {
      friendReqId: request.id,
      handleResult: 2,
    });
    expect(calls).toEqual([["friendshipCreated", bob.id, alice.id]]);
  });

  it("asking back (accepting theirs) announces friendshipCreated once", async () => {
    const [alice, bob] = await pair();
    const { events, calls } = recordingEvents();
    await askFriend({ db, events, userId: alice.id }, { userUid: bob.id });
    expect(calls).toEqual([]);
    await askFriend({ db, events, userId: bob.id }, { userUid: alice.id });
    expect(calls).toEqual([["friendshipCreated", bob.id, alice.id]]);
  });

  it.each([[3, "asked"], [4, "asker"]] as const)(
    "handleResult %i by the %s announces nothing",
    async (handleResult, who) => {
      const [alice, bob] = await pair();
      const request = await askFriend({ db, events: none, userId: alice.id }, { userUid: bob.id });
      const { events, calls } = recordingEvents();
      const actor = who === "asker" ? alice : bob;
      await handleFriendRequest({ db, events, userId: actor.id }, {
        friendReqId: request.id,
        handleResult,
      });
      expect(calls).toEqual([]);
    },
  );

  it("deleting a friend announces friendshipRemoved(caller, friend) once; a second delete nothing", async () => {
    const [alice, bob] = await pair();
    const request = await askFriend({ db, events: none, userId: alice.id }, { userUid: bob.id });
    await handleFriendRequest({ db, events: none, userId: bob.id }, {
      friendReqId: request.id,
      handleResult: 2,
    });
    const { events, calls } = recordingEvents();
    await deleteFriend({ db, events, userId: alice.id }, { friendUid: bob.id });
    await expect(deleteFriend({ db, events, userId: alice.id }, { friendUid: bob.id })).rejects
      .toMatchObject({
        status: 404,
      });
    expect(calls).toEqual([["friendshipRemoved", alice.id, bob.id]]);
  });
});

describe("group events", () => {
  async function groupWith(isVerify: boolean) {
    const [owner, member] = await pair();
    const group = await createGroup({ db, events: none, userId: owner.id }, {
      name: "Events",
      isVerify,
    });
    await befriendInDb(owner, member);
    await requestToJoin({ db, events: none, userId: owner.id }, {
      groupId: group.id,
      joinSource: 1,
      inviteeUid: member.id,
    });
    return { group, owner, member };
  }

  it("creating a group announces the creator joining", async () => {
    const owner = await quickUser();
    const { events, calls } = recordingEvents();
    const group = await createGroup({ db, events, userId: owner.id }, { name: "New" });
    expect(calls).toEqual([["groupMemberJoined", group.id, owner.id]]);
  });

  it("a direct join announces groupMemberJoined once; a pending one nothing until approved", async () => {
    const [owner, open, waiting] = await Promise.all([quickUser(), quickUser(), quickUser()]);
    const openGroup = await createGroup({ db, events: none, userId: owner.id }, { name: "Open" });
    const closed = await createGroup({ db, events: none, userId: owner.id }, {
      name: "Closed",
      isVerify: true,
    });
    const { events, calls } = recordingEvents();
    await requestToJoin({ db, events, userId: open.id }, { groupId: openGroup.id, joinSource: 2 });
    const pending = await requestToJoin({ db, events, userId: waiting.id }, {
      groupId: closed.id,
      joinSource: 2,
    });
    expect(calls).toEqual([["groupMemberJoined", openGroup.id, open.id]]);
    await handleJoinRequest({ db, events, userId: owner.id }, {
      groupId: closed.id,
      groupReqId: pending.id,
      handleResult: 2,
    });
    expect(calls).toEqual([
      ["groupMemberJoined", openGroup.id, open.id],
      ["groupMemberJoined", closed.id, waiting.id],
    ]);
  });

  it("a refused join request announces nothing", async () => {
    const [owner, applicant] = await pair();
    const group = await createGroup({ db, events: none, userId: owner.id }, {
      name: "No",
      isVerify: true,
    });
    const pending = await requestToJoin({ db, events: none, userId: applicant.id }, {
      groupId: group.id,
      joinSource: 2,
    });
    const { events, calls } = recordingEvents();
    await handleJoinRequest({ db, events, userId: owner.id }, {
      groupId: group.id,
      groupReqId: pending.id,
      handleResult: 3,
    });
    expect(calls).toEqual([]);
  });

  it("quitting announces groupMemberLeft(group, user, 'quit') once", async () => {
    const { group, member } = await groupWith(false);
    const { events, calls } = recordingEvents();
    await quitGroup({ db, events, userId: member.id }, { groupId: group.id });
    expect(calls).toEqual([["groupMemberLeft", group.id, member.id, "quit"]]);
  });

  it("kicking announces groupMemberLeft(group, user, 'kicked') once", async () => {
    const { group, owner, member } = await groupWith(false);
    const { events, calls } = recordingEvents();
    await kickMember({ db, events, userId: owner.id }, { groupId: group.id, userId: member.id });
    expect(calls).toEqual([["groupMemberLeft", group.id, member.id, "kicked"]]);
  });

  it("dissolving announces groupDissolved with every member it removed", async () => {
    const { group, owner, member } = await groupWith(false);
    const { events, calls } = recordingEvents();
    await dissolveGroup({ db, events, userId: owner.id }, { groupId: group.id });
    expect(calls).toHaveLength(1);
    expect(calls[0]![0]).toBe("groupDissolved");
    expect(calls[0]![1]).toBe(group.id);
    expect((calls[0]![2] as string[]).sort()).toEqual([owner.id, member.id].sort());
  });

  it("refused operations and plain updates announce nothing", async () => {
    const { group, owner, member } = await groupWith(false);
    const { events, calls } = recordingEvents();
    await expect(quitGroup({ db, events, userId: owner.id }, { groupId: group.id })).rejects
      .toMatchObject({ status: 409 });
    await expect(
      kickMember({ db, events, userId: member.id }, { groupId: group.id, userId: owner.id }),
    )
      .rejects.toMatchObject({ status: 403 });
    await expect(dissolveGroup({ db, events, userId: member.id }, { groupId: group.id })).rejects
      .toMatchObject({
        status: 403,
      });
    await expect(
      requestToJoin({ db, events, userId: member.id }, { groupId: group.id, joinSource: 2 }),
    )
      .rejects.toMatchObject({ status: 409 });
    await expect(
      setMemberRole({ db, events, userId: member.id }, {
        groupId: group.id,
        userId: owner.id,
        roleLevel: 2,
      }),
    ).rejects.toMatchObject({ status: 403 });
    // A rename changes nothing about who may send (role changes: social-control-events.test.ts).
    await updateGroup({ db, events, userId: owner.id }, { groupId: group.id, name: "Renamed" });
    expect(calls).toEqual([]);
  });
});
