/**
 * Group invitations (CONTRACT §15): an invite of someone who is not the inviter's friend waits
 * for the invitee's answer instead of making them a member. Only the invitee answers; accepting
 * then joins as the invite would have (§4: at once when the group does not verify or the inviter
 * is its creator or a manager, else a pending join request). Pending invitations are not
 * memberships, so they never count toward the invitee's groups.
 */
import * as invitationQueries from "../db/group-invitations.ts";
import { type GroupInvitationRow, INVITATION_STATUS } from "../db/group-invitations.ts";
import { findGroupMember, JOIN_SOURCE, ROLE_LEVEL } from "../db/group-members.ts";
import * as requestQueries from "../db/group-requests.ts";
import { countGroupsOf, findActiveGroup, type GroupRow } from "../db/groups.ts";
import { ConflictError, ForbiddenError, NotFoundError } from "../errors.ts";
import { newId } from "../ids.ts";
import {
  GROUP_INVITATION_TTL_MS,
  GROUP_INVITATIONS_PER_DAY,
  MAX_GROUP_MEMBERS,
  MAX_GROUPS_PER_USER,
} from "../limits.ts";
import { type Actor, limitsOf } from "./actor.ts";
import { runBatch } from "./batch.ts";
import { GROUP_FULL, joinDirectly } from "./group-join-service.ts";
import { type GroupRequest, toGroupRequest } from "./group-schemas.ts";
import { TOO_MANY_GROUPS } from "./group-service.ts";
import {
  type AnswerInvitationBody,
  type GroupInvitation,
  type InvitationAnswer,
  toGroupInvitation,
} from "./invitation-schemas.ts";
import { type Page, type PageRequest, readPage } from "./pagination.ts";
import { insertPending, inTwoRounds } from "./pending-slot.ts";

function isExpired(invitation: GroupInvitationRow, now: number): boolean {
  return invitation.createdAt <= now - GROUP_INVITATION_TTL_MS;
}

/**
 * Invites `inviteeId` (not the caller's friend, not a member, not blocking the caller: checked
 * by requestToJoin) into `group`. Idempotent: the caller's pending invitation of the same user
 * to the same group is returned unchanged and takes no slot of the daily cap; an expired one is
 * replaced by a new one.
 */
export async function inviteToGroup(
  actor: Actor,
  group: GroupRow,
  inviteeId: string,
): Promise<GroupInvitation> {
  const { db, userId: actorId } = actor;
  const trio = { groupId: group.id, inviterUid: actorId, inviteeUid: inviteeId };
  const now = Date.now();
  const earlier = await invitationQueries.findPendingInvitation(db, trio);
  if (earlier && !isExpired(earlier, now)) return toGroupInvitation(earlier);
  if (group.memberCount >= MAX_GROUP_MEMBERS) throw new ConflictError(GROUP_FULL);
  await limitsOf(actor).take([GROUP_INVITATIONS_PER_DAY], "too many group invitations today");
  if (earlier) {
    await invitationQueries.settleInvitation(db, earlier.id, INVITATION_STATUS.cancelled, now);
  }
  const row = { id: newId(), ...trio, createdAt: now, status: INVITATION_STATUS.pending };
  const inserted = await insertPending(
    () => invitationQueries.insertGroupInvitation(db, row),
    () => invitationQueries.findGroupInvitationById(db, row.id),
  ) ?? await invitationQueries.findPendingInvitation(db, trio); // a twin request won the slot
  if (!inserted) throw new ConflictError("the invitation changed meanwhile, try again");
  const invitation = toGroupInvitation(inserted);
  if (inserted.id === row.id) {
    actor.pushes?.send(inviteeId, { method: "group.invitation", data: { invitation } });
  }
  return invitation;
}

/** The caller's pending, unexpired invitations, oldest first, one page. */
export async function listMyInvitations(
  { db, userId: actorId }: Actor,
  query: PageRequest,
): Promise<Page<GroupInvitation>> {
  const since = Date.now() - GROUP_INVITATION_TTL_MS;
  return await readPage(
    query,
    (limit, after) => invitationQueries.listPendingInvitationsOf(db, actorId, since, limit, after),
    (r) => ({ time: r.createdAt, id: r.id }),
    toGroupInvitation,
  );
}

/**
 * Accepts or declines an invitation, as its invitee. Anyone but the inviter and the invitee gets
 * 404 (ids are not for probing); the inviter gets 403; an invitation no longer pending is 409.
 */
export async function answerInvitation(
  actor: Actor,
  body: AnswerInvitationBody,
): Promise<InvitationAnswer> {
  const { db, userId: actorId } = actor;
  const invitation = await invitationQueries.findGroupInvitationById(db, body.invitationId);
  if (!invitation || (invitation.inviteeUid !== actorId && invitation.inviterUid !== actorId)) {
    throw new NotFoundError("invitation not found");
  }
  if (invitation.inviteeUid !== actorId) {
    throw new ForbiddenError("only the invited user answers an invitation");
  }
  if (invitation.status !== INVITATION_STATUS.pending) {
    throw new ConflictError("invitation was already answered or cancelled");
  }
  const now = Date.now();
  if (isExpired(invitation, now) || !body.accept) {
    const status = body.accept ? INVITATION_STATUS.cancelled : INVITATION_STATUS.declined;
    const settled = await invitationQueries.settleInvitation(db, invitation.id, status, now).get();
    if (!settled) throw new ConflictError("invitation was already answered or cancelled");
    if (body.accept) throw new ConflictError("invitation has expired");
    return { invitation: toGroupInvitation(settled), request: null };
  }
  const request = await acceptInvitation(actor, invitation);
  const settled = await invitationQueries.findGroupInvitationById(db, invitation.id);
  return { invitation: toGroupInvitation(settled ?? invitation), request };
}

/** Joins as the invite would have (CONTRACT §4), and marks the invitation accepted. */
async function acceptInvitation(
  { db, events, userId: actorId }: Actor,
  invitation: GroupInvitationRow,
): Promise<GroupRequest> {
  const group = await findActiveGroup(db, invitation.groupId);
  const inviter = group && await findGroupMember(db, group.id, invitation.inviterUid);
  if (!group || !inviter) {
    // Dissolving or leaving cancels invitations in the same batch: this is a race with one.
    throw new ConflictError("invitation was cancelled: the group or its inviter is gone");
  }
  if (await findGroupMember(db, group.id, actorId)) {
    throw new ConflictError("already a member of this group");
  }
  const request = {
    id: newId(),
    groupId: group.id,
    reqId: actorId,
    reqMsg: "",
    reqTime: Date.now(),
    joinSource: JOIN_SOURCE.invited,
    inviterUid: invitation.inviterUid,
  };
  if (!group.isVerify || inviter.roleLevel <= ROLE_LEVEL.manager) {
    // The inviter's authority lets them in, so the records name the inviter as it did before.
    return await joinDirectly(db, events, request, invitation.inviterUid, invitation.id);
  }
  return await inTwoRounds(async () => {
    const pending = await requestQueries.findPendingGroupRequest(db, group.id, actorId);
    if (pending) {
      await settleAccepted(db, invitation.id);
      return toGroupRequest(pending);
    }
    if (group.memberCount >= MAX_GROUP_MEMBERS) throw new ConflictError(GROUP_FULL);
    if (await countGroupsOf(db, actorId) >= MAX_GROUPS_PER_USER) {
      throw new ConflictError(TOO_MANY_GROUPS);
    }
    const inserted = await insertPending(
      () =>
        runBatch(db, [
          requestQueries.insertGroupRequestStatement(db, request),
          invitationQueries.settleInvitation(
            db,
            invitation.id,
            INVITATION_STATUS.accepted,
            Date.now(),
          ),
        ]),
      () => requestQueries.findGroupRequestById(db, request.id),
    );
    return inserted && toGroupRequest(inserted);
  }, "the join request changed meanwhile, try again");
}

async function settleAccepted(db: Actor["db"], invitationId: string): Promise<void> {
  const status = INVITATION_STATUS.accepted;
  const settled = await invitationQueries.settleInvitation(db, invitationId, status, Date.now())
    .get();
  if (!settled) throw new ConflictError("invitation was already answered or cancelled");
}
