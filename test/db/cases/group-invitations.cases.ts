/**
 * Group invitation cases (CONTRACT §15), run twice: inside workerd against D1
 * (group-invitations.d1.test.ts) and on Node against a libSQL file (….libsql.test.ts). The
 * queries, and the services' batches that accept and cancel, on both drivers.
 */
import { describe, expect, it } from "vitest";
import type { Db } from "../../../shared/db/client.ts";
import { isUniqueViolation } from "../../../shared/db/errors.ts";
import * as invitations from "../../../shared/db/group-invitations.ts";
import { INVITATION_STATUS } from "../../../shared/db/group-invitations.ts";
import { findGroupMember } from "../../../shared/db/group-members.ts";
import { findActiveGroup } from "../../../shared/db/groups.ts";
import { newId } from "../../../shared/ids.ts";
import type { Actor } from "../../../shared/social/actor.ts";
import { runBatch } from "../../../shared/social/batch.ts";
import { noMembershipEvents } from "../../../shared/social/events.ts";
import {
  answerInvitation,
  inviteToGroup,
} from "../../../shared/social/group-invitation-service.ts";
import { dissolveGroup } from "../../../shared/social/group-service.ts";
import { group, user } from "./fixtures.ts";

function invitationRow(groupId: string, inviterUid: string, inviteeUid: string, createdAt = 1) {
  return { id: newId(), groupId, inviterUid, inviteeUid, createdAt, status: 1, handledAt: null };
}

/** An actor whose limits always have room (the cap itself is the Worker's test). */
function actorFor(db: Db, userId: string): Actor {
  return { db, events: noMembershipEvents, userId, limits: { take: () => Promise.resolve() } };
}

export function defineGroupInvitationQueryCases(driver: string, getDb: () => Db) {
  describe(`group invitation queries on ${driver}`, () => {
    it("keeps one pending invitation per group, inviter and invitee", async () => {
      const db = getDb();
      const [owner, other, invitee] = [await user(db), await user(db), await user(db)];
      const groupId = await group(db, owner);
      const first = invitationRow(groupId, owner, invitee);
      await invitations.insertGroupInvitation(db, first);
      const twin = invitations.insertGroupInvitation(db, invitationRow(groupId, owner, invitee));
      await expect(twin).rejects.toSatisfy(isUniqueViolation);
      // Another inviter's is an invitation of its own; a settled one frees the slot.
      await invitations.insertGroupInvitation(db, invitationRow(groupId, other, invitee));
      await invitations.settleInvitation(db, first.id, INVITATION_STATUS.declined, 2);
      await invitations.insertGroupInvitation(db, invitationRow(groupId, owner, invitee));
      expect(await invitations.findPendingInvitation(db, first)).toMatchObject({ status: 1 });
      expect(await invitations.findGroupInvitationById(db, first.id)).toMatchObject({
        status: INVITATION_STATUS.declined,
        handledAt: 2,
      });
    });

    it("lists the invitee's pending invitations made after `since`, by (createdAt, id)", async () => {
      const db = getDb();
      const [owner, invitee, someoneElse] = [await user(db), await user(db), await user(db)];
      const groups = [await group(db, owner), await group(db, owner), await group(db, owner)];
      const old = invitationRow(groups[0]!, owner, invitee, 10);
      const a = invitationRow(groups[1]!, owner, invitee, 20);
      const b = invitationRow(groups[2]!, owner, invitee, 30);
      for (const row of [old, a, b, invitationRow(groups[0]!, owner, someoneElse, 25)]) {
        await invitations.insertGroupInvitation(db, row);
      }
      await invitations.settleInvitation(db, b.id, INVITATION_STATUS.accepted, 40);
      const listed = await invitations.listPendingInvitationsOf(db, invitee, 15, 10);
      expect(listed.map((row) => row.id)).toEqual([a.id]);
      const all = await invitations.listPendingInvitationsOf(db, invitee, 0, 1);
      expect(all.map((row) => row.id)).toEqual([old.id]);
      const next = await invitations.listPendingInvitationsOf(db, invitee, 0, 5, {
        time: 10,
        id: old.id,
      });
      expect(next.map((row) => row.id)).toEqual([a.id]);
    });

    it("settles only a pending invitation, and with a member id only once they joined", async () => {
      const db = getDb();
      const [owner, invitee] = [await user(db), await user(db)];
      const groupId = await group(db, owner);
      const row = invitationRow(groupId, owner, invitee);
      await invitations.insertGroupInvitation(db, row);
      const [notJoined] = await runBatch(db, [
        invitations.settleInvitation(db, row.id, INVITATION_STATUS.accepted, 5, newId()),
      ]);
      expect(notJoined).toEqual([]);
      const declined = await invitations.settleInvitation(db, row.id, 3, 6).get();
      expect(declined).toMatchObject({ status: 3, handledAt: 6 });
      expect(await invitations.settleInvitation(db, row.id, 2, 7).get()).toBeUndefined();
    });

    it("cancels a group's pending invitations, or only one inviter's", async () => {
      const db = getDb();
      const [owner, other, invitee] = [await user(db), await user(db), await user(db)];
      const groupId = await group(db, owner);
      const byOwner = invitationRow(groupId, owner, invitee);
      const byOther = invitationRow(groupId, other, invitee);
      await invitations.insertGroupInvitation(db, byOwner);
      await invitations.insertGroupInvitation(db, byOther);
      await runBatch(db, [invitations.cancelPendingInvitations(db, groupId, 9, other)]);
      expect((await invitations.findGroupInvitationById(db, byOther.id))?.status).toBe(4);
      expect((await invitations.findGroupInvitationById(db, byOwner.id))?.status).toBe(1);
      await runBatch(db, [invitations.cancelPendingInvitations(db, groupId, 10)]);
      expect((await invitations.findGroupInvitationById(db, byOwner.id))?.status).toBe(4);
    });
  });

  describe(`group invitation batches on ${driver}`, () => {
    it("accepting joins and marks the invitation accepted in one batch, once", async () => {
      const db = getDb();
      const [owner, invitee] = [await user(db), await user(db)];
      const groupId = await group(db, owner, true);
      const groupRow = (await findActiveGroup(db, groupId))!;
      const invitation = await inviteToGroup(actorFor(db, owner), groupRow, invitee);
      expect(await inviteToGroup(actorFor(db, owner), groupRow, invitee)).toEqual(invitation);
      expect(await findGroupMember(db, groupId, invitee)).toBeUndefined();
      const body = { invitationId: invitation.id, accept: true };
      const answer = await answerInvitation(actorFor(db, invitee), body);
      expect(answer.invitation.status).toBe(INVITATION_STATUS.accepted);
      expect(answer.request).toMatchObject({ handleResult: 2, handleUid: owner });
      expect(await findGroupMember(db, groupId, invitee)).toMatchObject({ operatorUid: owner });
      expect((await findActiveGroup(db, groupId))?.memberCount).toBe(2);
      await expect(answerInvitation(actorFor(db, invitee), body)).rejects.toMatchObject({
        status: 409,
      });
    });

    it("dissolving cancels the group's pending invitations in its batch", async () => {
      const db = getDb();
      const [owner, invitee] = [await user(db), await user(db)];
      const groupId = await group(db, owner);
      const groupRow = (await findActiveGroup(db, groupId))!;
      const invitation = await inviteToGroup(actorFor(db, owner), groupRow, invitee);
      await dissolveGroup(actorFor(db, owner), { groupId });
      expect((await invitations.findGroupInvitationById(db, invitation.id))?.status).toBe(4);
    });
  });
}
