/**
 * Social query cases, run twice: inside workerd against D1 (social.d1.test.ts) and on Node
 * against a libSQL file (social.libsql.test.ts). Batches and conditional inserts included.
 */
import { describe, expect, it } from "vitest";
import type { Db } from "../../../shared/db/client.ts";
import { isUniqueViolation } from "../../../shared/db/errors.ts";
import * as requests from "../../../shared/db/friend-requests.ts";
import * as friends from "../../../shared/db/friends.ts";
import * as members from "../../../shared/db/group-members.ts";
import * as groupRequests from "../../../shared/db/group-requests.ts";
import * as groups from "../../../shared/db/groups.ts";
import { HANDLE_RESULT } from "../../../shared/db/schema.ts";
import { newId, pairKey } from "../../../shared/ids.ts";
import { MAX_GROUP_MEMBERS } from "../../../shared/limits.ts";
import { runBatch } from "../../../shared/social/batch.ts";
import { group, memberRow, user } from "./fixtures.ts";

async function pendingRequest(db: Db, from: string, to: string, reqTime = Date.now()) {
  const row = { id: newId(), userId: to, reqUid: from, pairKey: pairKey(from, to), reqTime };
  await requests.insertFriendRequest(db, row);
  return row;
}

async function befriend(db: Db, a: string, b: string, createdAt = Date.now()) {
  const request = await pendingRequest(db, a, b);
  await runBatch(db, [
    friends.insertFriendIfRequestPending(
      db,
      { id: newId(), userId: a, friendUid: b, createdAt },
      request.id,
    ),
    friends.insertFriendIfRequestPending(
      db,
      { id: newId(), userId: b, friendUid: a, createdAt },
      request.id,
    ),
    requests.settleFriendRequest(db, request.id, {
      handleResult: HANDLE_RESULT.passed,
      handleMsg: "",
      handledAt: createdAt,
    }),
  ]);
}

export function defineSocialQueryCases(driver: string, getDb: () => Db) {
  describe(`friend queries on ${driver}`, () => {
    it("allows one pending request per pair, in either direction", async () => {
      const db = getDb();
      const [a, b] = [await user(db), await user(db)];
      const first = await pendingRequest(db, a, b);
      const twin = await pendingRequest(db, b, a).catch((e) => e);
      expect(isUniqueViolation(twin)).toBe(true);
      expect((await requests.findPendingFriendRequest(db, pairKey(b, a)))?.id).toBe(first.id);
      await requests.settleFriendRequest(db, first.id, {
        handleResult: HANDLE_RESULT.refused,
        handleMsg: "",
        handledAt: 1,
      });
      await pendingRequest(db, b, a); // a handled request frees the slot
    });

    it("settles a request only while it is pending", async () => {
      const db = getDb();
      const request = await pendingRequest(db, await user(db), await user(db));
      const settle = () =>
        requests.settleFriendRequest(db, request.id, {
          handleResult: HANDLE_RESULT.cancelled,
          handleMsg: "",
          handledAt: 5,
        }).get();
      expect(await settle()).toMatchObject({ handleResult: 4, handledAt: 5 });
      expect(await settle()).toBeUndefined();
    });

    it("adds friendship rows in a batch only while the request is pending", async () => {
      const db = getDb();
      const [a, b, c] = [await user(db), await user(db), await user(db)];
      await befriend(db, a, b);
      expect(await friends.areFriends(db, a, b)).toBe(true);
      expect(await friends.areFriends(db, b, a)).toBe(true);

      const refused = await pendingRequest(db, a, c);
      await requests.settleFriendRequest(db, refused.id, {
        handleResult: HANDLE_RESULT.refused,
        handleMsg: "",
        handledAt: 1,
      });
      const row = { id: newId(), userId: a, friendUid: c, createdAt: 1 };
      await runBatch(db, [friends.insertFriendIfRequestPending(db, row, refused.id)]);
      expect(await friends.areFriends(db, a, c)).toBe(false);
    });

    it("lists friends with profiles by (createdAt, id), continuing after a key", async () => {
      const db = getDb();
      const me = await user(db);
      const others = [await user(db, "One"), await user(db, "Two"), await user(db, "Three")];
      for (const [i, other] of others.entries()) await befriend(db, me, other, 1000 + i);
      const firstPage = await friends.listFriendsWithProfiles(db, me, 2);
      expect(firstPage.map((f) => f.nickname)).toEqual(["One", "Two"]);
      const last = firstPage[1]!;
      const rest = await friends.listFriendsWithProfiles(db, me, 2, {
        time: last.createdAt,
        id: last.id,
      });
      expect(rest.map((f) => f.nickname)).toEqual(["Three"]);
      expect(await friends.listFriendIds(db, me, 2)).toEqual([others[0], others[1]]);
    });

    it("binds each call's own values to the friend list's prepared query", async () => {
      const db = getDb();
      const [ann, ben, cat] = [await user(db, "Ann"), await user(db, "Ben"), await user(db, "Cat")];
      await befriend(db, ann, ben, 10);
      await befriend(db, ben, cat, 20);
      const names = async (userId: string, limit = 10) =>
        (await friends.listFriendsWithProfiles(db, userId, limit)).map((f) => f.nickname);
      expect(await names(ann)).toEqual(["Ben"]);
      expect(await names(ben)).toEqual(["Ann", "Cat"]);
      expect(await names(ben, 1)).toEqual(["Ann"]);
      expect(await names(cat)).toEqual(["Ben"]);
      expect(await names("' OR 1=1 --")).toEqual([]);
      const [first] = await friends.listFriendsWithProfiles(db, ben, 1);
      const after = { time: first!.createdAt, id: first!.id };
      expect((await friends.listFriendsWithProfiles(db, ben, 10, after)).map((f) => f.nickname))
        .toEqual(["Cat"]);
      // Each call's cursor is its own: Ann's one row (time 10, a random hex id) is before a key
      // at time 10 with an id above every hex id, and after one at time 9.
      expect(await friends.listFriendsWithProfiles(db, ann, 10, { time: 10, id: "~" })).toEqual([]);
      expect(
        (await friends.listFriendsWithProfiles(db, ann, 10, { time: 9, id: "" })).map((f) =>
          f.nickname
        ),
      ).toEqual(["Ben"]);
    });

    it("lists pending requests by direction, oldest first", async () => {
      const db = getDb();
      const me = await user(db);
      const [x, y, z] = [await user(db), await user(db), await user(db)];
      const fromX = await pendingRequest(db, x, me, 10);
      const fromY = await pendingRequest(db, y, me, 20);
      const toZ = await pendingRequest(db, me, z, 15);
      const received = await requests.listPendingFriendRequests(db, me, "received", 10);
      expect(received.map((r) => r.id)).toEqual([fromX.id, fromY.id]);
      const after = await requests.listPendingFriendRequests(db, me, "received", 10, {
        time: 10,
        id: fromX.id,
      });
      expect(after.map((r) => r.id)).toEqual([fromY.id]);
      const sent = await requests.listPendingFriendRequests(db, me, "sent", 10);
      expect(sent.map((r) => r.id)).toEqual([toZ.id]);
    });

    it("deletes both directions in one statement, and sets remarks one-sided", async () => {
      const db = getDb();
      const [a, b] = [await user(db), await user(db)];
      await befriend(db, a, b);
      expect(await friends.updateFriendRemark(db, a, b, "bee")).toMatchObject({ remark: "bee" });
      expect((await friends.findFriend(db, b, a))?.remark).toBe("");
      expect(await friends.deleteFriendship(db, b, a)).toBe(2);
      expect(await friends.deleteFriendship(db, b, a)).toBe(0);
      expect(await friends.updateFriendRemark(db, a, b, "gone")).toBeUndefined();
    });

    it("treats ids as values, never as SQL", async () => {
      const db = getDb();
      const a = await user(db);
      expect(await friends.areFriends(db, a, "x' OR '1'='1")).toBe(false);
      expect(await friends.listFriendIds(db, "' OR 1=1 --", 10)).toEqual([]);
    });
  });

  describe(`group queries on ${driver}`, () => {
    it("creates a group with its creator in one batch and hides it once dissolved", async () => {
      const db = getDb();
      const owner = await user(db);
      const id = await group(db, owner);
      expect(await groups.findActiveGroup(db, id)).toMatchObject({
        creatorUid: owner,
        memberCount: 1,
      });
      expect((await groups.listGroupsOfMember(db, owner, 10)).map((g) => g.group.id)).toEqual([id]);
      const [dissolved, removed] = await runBatch(db, [
        groups.markGroupDissolved(db, id),
        members.deleteAllGroupMembers(db, id),
      ]);
      expect(dissolved).toHaveLength(1);
      expect(removed.map((r) => r.userId)).toEqual([owner]);
      expect(await groups.findActiveGroup(db, id)).toBeUndefined();
      expect(await groups.listGroupsOfMember(db, owner, 10)).toEqual([]);
      expect(await groups.markGroupDissolved(db, id)).toEqual([]);
    });

    it("inserts a member only into an active group, once, and recounts", async () => {
      const db = getDb();
      const [owner, joiner] = [await user(db), await user(db)];
      const id = await group(db, owner);
      const row = memberRow(id, joiner);
      const [inserted] = await runBatch(db, [
        members.insertGroupMemberIfAllowed(db, row),
        groups.recountGroupMembers(db, id),
      ]);
      expect(inserted).toHaveLength(1);
      const [again] = await runBatch(db, [
        members.insertGroupMemberIfAllowed(db, { ...row, id: newId() }),
      ]);
      expect(again).toEqual([]);
      expect((await groups.findActiveGroup(db, id))?.memberCount).toBe(2);
      expect(await members.listGroupMemberIds(db, id)).toEqual([owner, joiner]);
    });

    it("refuses a member past MAX_GROUP_MEMBERS in SQL", async () => {
      const db = getDb();
      const owner = await user(db);
      const id = await group(db, owner);
      const fillers = Array.from(
        { length: MAX_GROUP_MEMBERS - 1 },
        (_, i) => members.insertGroupMember(db, memberRow(id, newId(), i)),
      );
      await runBatch(db, fillers as [typeof fillers[number], ...typeof fillers]);
      expect(await members.countGroupMembers(db, id)).toBe(MAX_GROUP_MEMBERS);
      expect(await members.listGroupMemberIds(db, id)).toHaveLength(MAX_GROUP_MEMBERS);
      const [inserted] = await runBatch(db, [
        members.insertGroupMemberIfAllowed(db, memberRow(id, await user(db))),
      ]);
      expect(inserted).toEqual([]);
    });

    it("approves a join request only while pending, and only once the member exists", async () => {
      const db = getDb();
      const [owner, joiner] = [await user(db), await user(db)];
      const id = await group(db, owner, true);
      const request = { id: newId(), groupId: id, reqId: joiner, reqTime: 1, joinSource: 2 };
      await groupRequests.insertGroupRequest(db, request);
      const twin = await groupRequests.insertGroupRequest(db, { ...request, id: newId() })
        .catch((e) => e);
      expect(isUniqueViolation(twin)).toBe(true);

      expect(await groupRequests.approveGroupRequest(db, request, owner, 2)).toEqual([]);
      const [inserted, , approved] = await runBatch(db, [
        members.insertGroupMemberIfAllowed(db, memberRow(id, joiner), request.id),
        groups.recountGroupMembers(db, id),
        groupRequests.approveGroupRequest(db, request, owner, 2),
      ]);
      expect(inserted).toHaveLength(1);
      expect(approved[0]).toMatchObject({ handleResult: 2, handleUid: owner, handleTime: 2 });
      // Pending no more: a second approval batch inserts nothing.
      const [second] = await runBatch(db, [
        members.insertGroupMemberIfAllowed(db, memberRow(id, await user(db)), request.id),
      ]);
      expect(second).toEqual([]);
    });

    it("lists a group's pending requests oldest first and cancels them", async () => {
      const db = getDb();
      const owner = await user(db);
      const id = await group(db, owner, true);
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const request = {
          id: newId(),
          groupId: id,
          reqId: await user(db),
          reqTime: 100 + i,
          joinSource: 2,
        };
        await groupRequests.insertGroupRequest(db, request);
        ids.push(request.id);
      }
      const page = await groupRequests.listPendingGroupRequests(db, id, 2);
      expect(page.map((r) => r.id)).toEqual(ids.slice(0, 2));
      const rest = await groupRequests.listPendingGroupRequests(db, id, 2, {
        time: 101,
        id: ids[1]!,
      });
      expect(rest.map((r) => r.id)).toEqual([ids[2]]);
      await groupRequests.cancelPendingGroupRequests(db, id, owner, 9);
      expect(await groupRequests.listPendingGroupRequests(db, id, 10)).toEqual([]);
      expect((await groupRequests.findGroupRequestById(db, ids[0]!))?.handleResult).toBe(4);
    });

    it("transfers ownership only while the old creator still holds it", async () => {
      const db = getDb();
      const [owner, heir, other] = [await user(db), await user(db), await user(db)];
      const id = await group(db, owner);
      await members.insertGroupMember(db, memberRow(id, heir));
      await members.insertGroupMember(db, memberRow(id, other));
      const transfer = (to: string) =>
        runBatch(db, [
          groups.changeGroupCreator(db, id, owner, to),
          members.setGroupMemberRole(db, id, to, 1, to),
          members.setGroupMemberRole(db, id, owner, 2, to),
        ]);
      const [changed] = await transfer(heir);
      expect(changed).toHaveLength(1);
      const [late, lateRole] = await transfer(other);
      expect(late).toEqual([]);
      expect(lateRole).toEqual([]);
      expect((await groups.findActiveGroup(db, id))?.creatorUid).toBe(heir);
      expect((await members.findGroupMember(db, id, heir))?.roleLevel).toBe(1);
      expect((await members.findGroupMember(db, id, owner))?.roleLevel).toBe(2);
      expect((await members.findGroupMember(db, id, other))?.roleLevel).toBe(3);
    });

    it("lists members with profiles by (joinTime, id), continuing after a key", async () => {
      const db = getDb();
      const owner = await user(db, "Owner");
      const id = await group(db, owner);
      const late = await user(db, "Late");
      await members.insertGroupMember(db, memberRow(id, late, Date.now() + 1000));
      const first = await members.listGroupMembersWithProfiles(db, id, 1);
      expect(first.map((m) => m.nickname)).toEqual(["Owner"]);
      const next = await members.listGroupMembersWithProfiles(db, id, 1, {
        time: first[0]!.joinTime,
        id: first[0]!.id,
      });
      expect(next.map((m) => m.nickname)).toEqual(["Late"]);
      expect(await members.deleteGroupMember(db, id, late, 2)).toEqual([]); // wrong role
      expect(await members.deleteGroupMember(db, id, late, 3)).toEqual([{ userId: late }]);
    });
  });
}
