/**
 * The events of the social controls (CONTRACT §10) the chat objects depend on: each change is
 * announced before its D1 write and reported after it, once, in that order; refused operations
 * and changes with nothing to change announce nothing.
 */
import { describe, expect, it } from "vitest";
import { hasBlocked } from "../../../shared/db/blocks.ts";
import { findActiveGroup } from "../../../shared/db/groups.ts";
import { findGroupMember } from "../../../shared/db/group-members.ts";
import { blockUser, unblockUser } from "../../../shared/social/block-service.ts";
import { type MembershipEvents, noMembershipEvents } from "../../../shared/social/events.ts";
import { requestToJoin } from "../../../shared/social/group-join-service.ts";
import { setMemberRole } from "../../../shared/social/group-member-service.ts";
import { muteMember } from "../../../shared/social/group-mute-service.ts";
import { createGroup, updateGroup } from "../../../shared/social/group-service.ts";
import { MAX_BLOCKS_PER_USER } from "../../../shared/limits.ts";
import { createD1TestDb } from "../../helpers/d1-db.ts";
import { befriendInDb, fillBlocks, quickUser, recordingEvents } from "../../helpers/social.ts";

const db = createD1TestDb();
const none = noMembershipEvents;
const HOUR_MS = 60 * 60 * 1000;

/** A group with its creator, a manager and a plain member, made without recording anything. */
async function groupOfThree() {
  const [owner, manager, member] = await Promise.all([quickUser(), quickUser(), quickUser()]);
  const group = await createGroup({ db, events: none, userId: owner.id }, { name: "Events" });
  for (const user of [manager, member]) {
    await befriendInDb(owner, user);
    await requestToJoin({ db, events: none, userId: owner.id }, {
      groupId: group.id,
      joinSource: 1,
      inviteeUid: user.id,
    });
  }
  await setMemberRole({ db, events: none, userId: owner.id }, {
    groupId: group.id,
    userId: manager.id,
    roleLevel: 2,
  });
  return { groupId: group.id, owner, manager, member };
}

describe("block events", () => {
  it("blocking and unblocking someone never befriended announces nothing", async () => {
    const [alice, bob] = await Promise.all([quickUser(), quickUser()]);
    const { events, calls } = recordingEvents({ withAnnouncements: true });
    await blockUser({ db, events, userId: alice.id }, { userId: bob.id });
    await unblockUser({ db, events, userId: alice.id }, { userId: bob.id });
    expect(await hasBlocked(db, alice.id, bob.id)).toBe(false);
    expect(calls).toEqual([]);
  });

  it("blocking announces blockChanging then blockChanged(blocker, blocked), once", async () => {
    const [alice, bob] = await Promise.all([quickUser(), quickUser()]);
    await befriendInDb(alice, bob); // a chat between them may exist: it hears of the block
    const { events, calls } = recordingEvents({ withAnnouncements: true });
    await blockUser({ db, events, userId: alice.id }, { userId: bob.id });
    expect(calls).toEqual([["blockChanging", alice.id, bob.id], [
      "blockChanged",
      alice.id,
      bob.id,
    ]]);
  });

  it("announces before the row is written and reports after (block and unblock)", async () => {
    const [alice, bob] = await Promise.all([quickUser(), quickUser()]);
    await befriendInDb(alice, bob); // a chat between them may exist: it hears of the block
    const seen: [string, boolean][] = [];
    const events: MembershipEvents = {
      ...none,
      blockChanging: async (a, b) => void seen.push(["changing", await hasBlocked(db, a, b)]),
      blockChanged: async (a, b) => void seen.push(["changed", await hasBlocked(db, a, b)]),
    };
    await blockUser({ db, events, userId: alice.id }, { userId: bob.id });
    await unblockUser({ db, events, userId: alice.id }, { userId: bob.id });
    expect(seen).toEqual([
      ["changing", false],
      ["changed", true],
      ["changing", true],
      ["changed", false],
    ]);
  });

  it("unblocking announces blockChanging then blockChanged once", async () => {
    const [alice, bob] = await Promise.all([quickUser(), quickUser()]);
    await befriendInDb(alice, bob); // a chat between them may exist: it hears of the block
    await blockUser({ db, events: none, userId: alice.id }, { userId: bob.id });
    const { events, calls } = recordingEvents({ withAnnouncements: true });
    await unblockUser({ db, events, userId: alice.id }, { userId: bob.id });
    expect(calls).toEqual([["blockChanging", alice.id, bob.id], [
      "blockChanged",
      alice.id,
      bob.id,
    ]]);
  });

  it("announces nothing when there is nothing to change or the request is refused", async () => {
    const [alice, bob, carol] = await Promise.all([quickUser(), quickUser(), quickUser()]);
    await blockUser({ db, events: none, userId: alice.id }, { userId: bob.id });
    const { events, calls } = recordingEvents({ withAnnouncements: true });
    const actor = { db, events, userId: alice.id };
    await blockUser(actor, { userId: bob.id }); // already blocked
    await unblockUser(actor, { userId: carol.id }); // never blocked
    await expect(blockUser(actor, { userId: alice.id })).rejects.toMatchObject({ status: 400 });
    await expect(blockUser(actor, { userId: "0".repeat(32) })).rejects.toMatchObject({
      status: 404,
    });
    expect(calls).toEqual([]);
  });

  it("over the cap, announces the attempt but reports no change", async () => {
    const [alice, bob] = await Promise.all([quickUser(), quickUser()]);
    await befriendInDb(alice, bob); // a chat between them may exist: it hears of the block
    await fillBlocks(alice.id, MAX_BLOCKS_PER_USER);
    const { events, calls } = recordingEvents({ withAnnouncements: true });
    await expect(blockUser({ db, events, userId: alice.id }, { userId: bob.id })).rejects
      .toMatchObject({ status: 409 });
    // The conversation treats an announcement without its report as unsettled and re-reads D1.
    expect(calls).toEqual([["blockChanging", alice.id, bob.id]]);
  });
});

describe("mute, muteAll and role events", () => {
  it("muting announces groupMembershipChanging before the write and groupMemberUpdated after", async () => {
    const { groupId, owner, member } = await groupOfThree();
    const until = Date.now() + HOUR_MS;
    const seen: [string, number | undefined][] = [];
    const muteOf = async () => (await findGroupMember(db, groupId, member.id))?.muteUntil;
    const events: MembershipEvents = {
      ...none,
      groupMembershipChanging: async () => void seen.push(["changing", await muteOf()]),
      groupMemberUpdated: async () => void seen.push(["updated", await muteOf()]),
    };
    await muteMember({ db, events, userId: owner.id }, { groupId, userId: member.id, until });
    expect(seen).toEqual([["changing", 0], ["updated", until]]);
  });

  it("a refused mute announces nothing", async () => {
    const { groupId, owner, manager, member } = await groupOfThree();
    const { events, calls } = recordingEvents({ withAnnouncements: true });
    const until = Date.now() + HOUR_MS;
    await expect(muteMember({ db, events, userId: manager.id }, {
      groupId,
      userId: owner.id,
      until,
    })).rejects.toMatchObject({ status: 403 });
    await expect(muteMember({ db, events, userId: member.id }, {
      groupId,
      userId: manager.id,
      until,
    })).rejects.toMatchObject({ status: 403 });
    await expect(muteMember({ db, events, userId: owner.id }, {
      groupId,
      userId: member.id,
      until: 1,
    })).rejects.toMatchObject({ status: 400 });
    expect(calls).toEqual([]);
  });

  it("setting muteAll announces before the write and reports groupMemberUpdated after", async () => {
    const { groupId, manager } = await groupOfThree();
    const seen: [string, boolean | undefined][] = [];
    const muteAllNow = async () => (await findActiveGroup(db, groupId))?.muteAll;
    const events: MembershipEvents = {
      ...none,
      groupMembershipChanging: async () => void seen.push(["changing", await muteAllNow()]),
      groupMemberUpdated: async () => void seen.push(["updated", await muteAllNow()]),
    };
    await updateGroup({ db, events, userId: manager.id }, { groupId, muteAll: true });
    expect(seen).toEqual([["changing", false], ["updated", true]]);
  });

  it("an update without muteAll or notification announces nothing", async () => {
    const { groupId, owner } = await groupOfThree();
    const { events, calls } = recordingEvents({ withAnnouncements: true });
    await updateGroup({ db, events, userId: owner.id }, { groupId, name: "Renamed" });
    expect(calls).toEqual([]);
  });

  it("a notification is reported after the write as groupNoticeChanged, after muteAll's events", async () => {
    const { groupId, manager } = await groupOfThree();
    const { events, calls } = recordingEvents({ withAnnouncements: true });
    await updateGroup({ db, events, userId: manager.id }, {
      groupId,
      notification: "hello",
      muteAll: true,
    });
    expect(calls).toEqual([
      ["groupMembershipChanging", groupId],
      ["groupMemberUpdated", groupId],
      ["groupNoticeChanged", { groupId, notification: "hello", notificationUid: manager.id }],
    ]);
  });

  it.each([[2, "make manager"], [3, "make member"], [1, "transfer ownership"]] as const)(
    "a role change (%i, %s) announces before and reports groupMemberUpdated after",
    async (roleLevel, _what) => {
      const { groupId, owner, member } = await groupOfThree();
      const seen: [string, number | undefined][] = [];
      const roleNow = async () => (await findGroupMember(db, groupId, member.id))?.roleLevel;
      const events: MembershipEvents = {
        ...none,
        groupMembershipChanging: async () => void seen.push(["changing", await roleNow()]),
        groupMemberUpdated: async () => void seen.push(["updated", await roleNow()]),
      };
      await setMemberRole({ db, events, userId: owner.id }, {
        groupId,
        userId: member.id,
        roleLevel,
      });
      expect(seen).toEqual([["changing", 3], ["updated", roleLevel]]);
    },
  );

  it("a refused role change announces nothing", async () => {
    const { groupId, manager, member } = await groupOfThree();
    const { events, calls } = recordingEvents({ withAnnouncements: true });
    await expect(setMemberRole({ db, events, userId: manager.id }, {
      groupId,
      userId: member.id,
      roleLevel: 2,
    })).rejects.toMatchObject({ status: 403 });
    expect(calls).toEqual([]);
  });
});
