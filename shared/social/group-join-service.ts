/**
 * Joining groups (CONTRACT §4): apply / invite, handle and list join requests. Every way in
 * ends in one batch whose member insert is conditional (group active, under the cap, request
 * still pending), so racing approvals make one membership and memberCount is recounted.
 */
import { hasBlocked } from "../db/blocks.ts";
import type { Db } from "../db/client.ts";
import { areFriends } from "../db/friends.ts";
import * as memberQueries from "../db/group-members.ts";
import { JOIN_SOURCE, ROLE_LEVEL } from "../db/group-members.ts";
import * as invitationQueries from "../db/group-invitations.ts";
import * as requestQueries from "../db/group-requests.ts";
import type { GroupRequestRow } from "../db/group-requests.ts";
import {
  countGroupsOf,
  findActiveGroup,
  type GroupRow,
  recountGroupMembers,
} from "../db/groups.ts";
import { HANDLE_RESULT } from "../db/schema.ts";
import { findUserById } from "../db/users.ts";
import { ConflictError, ForbiddenError, NotFoundError } from "../errors.ts";
import { newId } from "../ids.ts";
import { MAX_GROUP_MEMBERS, MAX_GROUPS_PER_USER } from "../limits.ts";
import { runBatch } from "./batch.ts";
import type { Actor } from "./actor.ts";
import type { MembershipEvents } from "./events.ts";
import { requireActiveGroup, requireManager } from "./group-access.ts";
import {
  type GroupPageQuery,
  type GroupRequest,
  type HandleGroupRequestBody,
  type JoinGroupBody,
  toGroupRequest,
} from "./group-schemas.ts";

import { inviteToGroup } from "./group-invitation-service.ts";
import type { GroupInvitation } from "./invitation-schemas.ts";
import { type Page, readPage } from "./pagination.ts";
import { TOO_MANY_GROUPS } from "./group-service.ts";
import { insertPending, inTwoRounds } from "./pending-slot.ts";

export const GROUP_FULL = `group is full (${MAX_GROUP_MEMBERS} members)`;

interface JoinPlan {
  joinerId: string;
  inviterUid: string;
  /** True when the joiner is let in at once rather than through a pending request. */
  direct: boolean;
  /**
   * False for an invite of someone who is not the inviter's friend: they have not agreed to
   * anything yet, so the invite only makes an invitation for them to answer (CONTRACT §15).
   */
  consented: boolean;
}

/**
 * Applies (joinSource 2, for the caller) or invites (joinSource 1, `inviteeUid`, the caller must
 * be a member). An invite of someone who is not the inviter's friend only makes an invitation
 * (group-invitation-service.ts). Otherwise the joiner is in at once when the group does not
 * verify or a creator/manager invites; else a pending request is made — or the pending one
 * returned.
 */
export async function requestToJoin(
  actor: Actor,
  body: JoinGroupBody,
): Promise<GroupRequest | GroupInvitation> {
  const { db, events, userId: actorId } = actor;
  const group = await requireActiveGroup(db, body.groupId);
  const plan = await planJoin(db, group, actorId, body);
  if (await memberQueries.findGroupMember(db, group.id, plan.joinerId)) {
    throw new ConflictError("already a member of this group");
  }
  if (!plan.consented && !await hasApplied(db, group.id, plan)) {
    return await inviteToGroup(actor, group, plan.joinerId);
  }
  return await inTwoRounds(async () => {
    const pending = await requestQueries.findPendingGroupRequest(db, group.id, plan.joinerId);
    if (pending) {
      return plan.direct
        ? await approveJoin(db, events, pending, actorId)
        : toGroupRequest(pending);
    }
    if (group.memberCount >= MAX_GROUP_MEMBERS) throw new ConflictError(GROUP_FULL);
    // A clear answer before a request is stored; the member insert itself holds the limit.
    if (await countGroupsOf(db, plan.joinerId) >= MAX_GROUPS_PER_USER) {
      throw new ConflictError(TOO_MANY_GROUPS);
    }
    const row = {
      id: newId(),
      groupId: group.id,
      reqId: plan.joinerId,
      reqMsg: body.reqMsg ?? "",
      reqTime: Date.now(),
      joinSource: body.joinSource,
      inviterUid: plan.inviterUid,
    };
    if (plan.direct) return await joinDirectly(db, events, row, actorId);
    const inserted = await insertPending(
      () => requestQueries.insertGroupRequest(db, row),
      () => requestQueries.findGroupRequestById(db, row.id),
    );
    return inserted && toGroupRequest(inserted);
  }, "the join request changed meanwhile, try again");
}

async function planJoin(
  db: Db,
  group: GroupRow,
  actorId: string,
  body: JoinGroupBody,
): Promise<JoinPlan> {
  if (body.joinSource === JOIN_SOURCE.applied) {
    return { joinerId: actorId, inviterUid: "", direct: !group.isVerify, consented: true };
  }
  const inviter = await memberQueries.findGroupMember(db, group.id, actorId);
  if (!inviter) throw new ForbiddenError("only members may invite to this group");
  const inviteeId = body.inviteeUid!; // the schema requires it with joinSource 1
  if (!await findUserById(db, inviteeId)) throw new NotFoundError("invited user not found");
  // Before anything else is read or written, and the same words whatever else holds.
  if (await hasBlocked(db, inviteeId, actorId)) {
    throw new ForbiddenError("you cannot invite this user");
  }
  return {
    joinerId: inviteeId,
    inviterUid: actorId,
    direct: !group.isVerify || inviter.roleLevel <= ROLE_LEVEL.manager,
    consented: await areFriends(db, actorId, inviteeId),
  };
}

/**
 * True when an invite that lets the invitee in at once meets their own pending application:
 * they asked to join, so the invite passes it (no invitation needed).
 */
async function hasApplied(db: Db, groupId: string, plan: JoinPlan): Promise<boolean> {
  if (!plan.direct) return false;
  const pending = await requestQueries.findPendingGroupRequest(db, groupId, plan.joinerId);
  return pending?.joinSource === JOIN_SOURCE.applied;
}

/** The membership row a join request turns into, `actorId` letting it in. */
function memberRowFor(
  request: Pick<GroupRequestRow, "groupId" | "reqId" | "joinSource" | "inviterUid">,
  actorId: string,
  joinTime: number,
) {
  return {
    id: newId(),
    groupId: request.groupId,
    userId: request.reqId,
    roleLevel: ROLE_LEVEL.member,
    joinTime,
    joinSource: request.joinSource,
    inviterUid: request.inviterUid,
    operatorUid: actorId,
    muteUntil: 0,
  };
}

/**
 * Lets the joiner in at once and records the request as already passed, in one batch. With
 * `invitationId`, the join also needs that invitation still pending. Every pending invitation
 * of the joiner to the group is accepted in the same batch.
 */
export async function joinDirectly(
  db: Db,
  events: MembershipEvents,
  request: Omit<GroupRequestRow, "handleUid" | "handleTime" | "handleResult">,
  actorId: string,
  invitationId?: string,
): Promise<GroupRequest> {
  const now = request.reqTime;
  const member = memberRowFor(request, actorId, now);
  const stillInvited = invitationId === undefined
    ? undefined
    : invitationQueries.invitationStillPending(db, invitationId);
  await events.groupMembershipChanging(request.groupId);
  const [inserted, , recorded] = await runBatch(db, [
    memberQueries.insertGroupMemberIfAllowed(db, member, undefined, stillInvited),
    recountGroupMembers(db, request.groupId),
    requestQueries.insertPassedGroupRequestIfMember(
      db,
      { ...request, handleUid: actorId, handleTime: now },
      member.id,
    ),
    requestQueries.passPendingGroupRequestsOf(db, member, actorId, now),
    // Accepts the invitation this join answers, and any other pending one of the joiner's.
    invitationQueries.closeInvitationsOfJoiner(db, member, now),
  ]);
  const passed = recorded[0];
  if (inserted.length === 0 || !passed) {
    throw await whyNotJoined(db, request.groupId, member.userId);
  }
  await events.groupMemberJoined(request.groupId, member.userId);
  return toGroupRequest(passed);
}

/** Approves a pending request: membership, memberCount and the request's state in one batch. */
async function approveJoin(
  db: Db,
  events: MembershipEvents,
  request: GroupRequestRow,
  actorId: string,
): Promise<GroupRequest> {
  const now = Date.now();
  const member = memberRowFor(request, actorId, now);
  await events.groupMembershipChanging(request.groupId);
  const [inserted, , approved] = await runBatch(db, [
    memberQueries.insertGroupMemberIfAllowed(db, member, request.id),
    recountGroupMembers(db, request.groupId),
    requestQueries.approveGroupRequest(db, request, actorId, now),
    invitationQueries.closeInvitationsOfJoiner(db, member, now),
  ]);
  const passed = approved[0];
  if (!passed) {
    const current = await requestQueries.findGroupRequestById(db, request.id);
    if (current?.handleResult !== HANDLE_RESULT.pending) {
      throw new ConflictError("join request was already handled");
    }
    throw await whyNotJoined(db, request.groupId, request.reqId);
  }
  if (inserted.length > 0) await events.groupMemberJoined(request.groupId, request.reqId);
  return toGroupRequest(passed);
}

/** The error for a conditional member insert that did not happen. */
async function whyNotJoined(db: Db, groupId: string, userId: string): Promise<Error> {
  if (!await findActiveGroup(db, groupId)) return new NotFoundError("group not found");
  if (await memberQueries.findGroupMember(db, groupId, userId)) {
    return new ConflictError("already a member of this group");
  }
  if (await memberQueries.countGroupMembers(db, groupId) >= MAX_GROUP_MEMBERS) {
    return new ConflictError(GROUP_FULL);
  }
  if (await countGroupsOf(db, userId) >= MAX_GROUPS_PER_USER) {
    return new ConflictError(TOO_MANY_GROUPS);
  }
  return new ConflictError("the group changed meanwhile, try again");
}

/** Passes (2) or refuses (3) a pending join request, as the creator or a manager. */
export async function handleJoinRequest(
  { db, events, userId: actorId }: Actor,
  body: HandleGroupRequestBody,
): Promise<GroupRequest> {
  await requireManager(db, body.groupId, actorId, "handle join requests");
  const request = await requestQueries.findGroupRequestById(db, body.groupReqId);
  if (!request || request.groupId !== body.groupId) {
    throw new NotFoundError("join request not found");
  }
  if (request.handleResult !== HANDLE_RESULT.pending) {
    throw new ConflictError("join request was already handled");
  }
  if (body.handleResult === HANDLE_RESULT.passed) {
    return await approveJoin(db, events, request, actorId);
  }
  const refused = await requestQueries.refuseGroupRequest(db, request.id, actorId, Date.now())
    .get();
  if (!refused) throw new ConflictError("join request was already handled");
  return toGroupRequest(refused);
}

/** A group's pending join requests, oldest first, one page (creator or manager only). */
export async function listJoinRequests(
  { db, userId: actorId }: Actor,
  query: GroupPageQuery,
): Promise<Page<GroupRequest>> {
  await requireManager(db, query.groupId, actorId, "list join requests");
  return await readPage(
    query,
    (limit, after) => requestQueries.listPendingGroupRequests(db, query.groupId, limit, after),
    (r) => ({ time: r.reqTime, id: r.id }),
    toGroupRequest,
  );
}
