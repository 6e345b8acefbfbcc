/**
 * Muting a group member (CONTRACT §10): while `muteUntil` is ahead the member may not send to
 * the group. The Conversation object enforces it; this service only writes it, announced before
 * and reported after the write like every change of who may send.
 */
import * as memberQueries from "../db/group-members.ts";
import { ROLE_LEVEL } from "../db/group-members.ts";
import { ConflictError, ForbiddenError, InvalidParamsError, NotFoundError } from "../errors.ts";
import { MAX_MUTE_AHEAD_MS } from "../limits.ts";
import type { Actor } from "./actor.ts";
import { requireManager } from "./group-access.ts";
import { type GroupMember, type MuteMemberBody, toGroupMember } from "./group-schemas.ts";

/** Refuses an `until` that is neither 0 (unmute) nor a time within MAX_MUTE_AHEAD_MS ahead. */
function checkUntil(until: number, now: number): void {
  if (until === 0) return;
  if (until <= now) throw new InvalidParamsError("until: must be in the future, or 0 to unmute");
  if (until > now + MAX_MUTE_AHEAD_MS) {
    const days = MAX_MUTE_AHEAD_MS / (24 * 60 * 60 * 1000);
    throw new InvalidParamsError(`until: at most ${days} days ahead`);
  }
}

/**
 * Mutes `body.userId` until `body.until` (0 unmutes), as the creator (anyone but themselves) or a
 * manager (plain members only). Nobody mutes the creator.
 */
export async function muteMember(
  { db, events, userId: actorId }: Actor,
  body: MuteMemberBody,
): Promise<GroupMember> {
  const { groupId, userId, until } = body;
  checkUntil(until, Date.now());
  const { member: actor } = await requireManager(db, groupId, actorId, "mute members");
  if (userId === actorId) throw new InvalidParamsError("userId: you cannot mute yourself");
  const target = await memberQueries.findGroupMember(db, groupId, userId);
  if (!target) throw new NotFoundError("that user is not a member of this group");
  if (target.roleLevel === ROLE_LEVEL.creator) {
    throw new ForbiddenError("nobody may mute the group's creator");
  }
  if (actor.roleLevel !== ROLE_LEVEL.creator && target.roleLevel !== ROLE_LEVEL.member) {
    throw new ForbiddenError("a manager may mute only members");
  }
  await events.groupMembershipChanging(groupId);
  const updated = await memberQueries.setGroupMemberMute(
    db,
    groupId,
    { userId, muteUntil: until, targetRoleLevel: target.roleLevel },
    { userId: actorId, roleLevel: actor.roleLevel },
  );
  if (!updated) throw new ConflictError("that membership changed meanwhile, try again");
  await events.groupMemberUpdated(groupId);
  const row = await memberQueries.findGroupMemberWithProfile(db, groupId, userId);
  if (!row) throw new NotFoundError("that user is not a member of this group");
  return toGroupMember(row);
}
