/** The friend service (CONTRACT §3): ask, handle, list, remark, delete. */
import { hasBlocked } from "../db/blocks.ts";
import * as friendRequestQueries from "../db/friend-requests.ts";
import type { FriendRequestRow } from "../db/friend-requests.ts";
import * as friendQueries from "../db/friends.ts";
import { HANDLE_RESULT } from "../db/schema.ts";
import { findUserById } from "../db/users.ts";
import { ConflictError, ForbiddenError, InvalidParamsError, NotFoundError } from "../errors.ts";
import { newId, pairKey } from "../ids.ts";
import { runBatch } from "./batch.ts";
import type { Actor } from "./actor.ts";
import {
  type AskFriendBody,
  type Friend,
  type FriendRequest,
  type FriendRequestsQuery,
  type FriendsQuery,
  type FriendUidBody,
  type HandleFriendRequestBody,
  type RemarkBody,
  toFriend,
  toFriendRequest,
} from "./friend-schemas.ts";
import { type Page, readPage } from "./pagination.ts";
import { insertPending, inTwoRounds } from "./pending-slot.ts";

/**
 * Asks `body.userUid` to be friends. A pending ask of ours is returned as is; a pending ask of
 * theirs is accepted instead (their request comes back passed). Someone the other user blocks
 * is refused (403).
 */
export async function askFriend(actor: Actor, body: AskFriendBody): Promise<FriendRequest> {
  const { db, userId: actorId } = actor;
  const otherId = body.userUid;
  if (otherId === actorId) throw new InvalidParamsError("userUid: you cannot ask yourself");
  if (!await findUserById(db, otherId)) throw new NotFoundError("user not found");
  // Before anything else is read or written, and the same words whatever else holds: this
  // refusal is all the blocked user may learn of the block (CONTRACT §10).
  if (await hasBlocked(db, otherId, actorId)) {
    throw new ForbiddenError("you cannot send this user a friend request");
  }
  if (await friendQueries.areFriends(db, actorId, otherId)) {
    throw new ConflictError("you are already friends");
  }
  const key = pairKey(actorId, otherId);
  return await inTwoRounds(async () => {
    const pending = await friendRequestQueries.findPendingFriendRequest(db, key);
    if (pending) {
      if (pending.reqUid === actorId) return toFriendRequest(pending);
      return await passFriendRequest(actor, pending, "");
    }
    const row = {
      id: newId(),
      userId: otherId,
      reqUid: actorId,
      pairKey: key,
      reqMsg: body.reqMsg ?? "",
      reqTime: Date.now(),
    };
    const inserted = await insertPending(
      () => friendRequestQueries.insertFriendRequest(db, row),
      () => friendRequestQueries.findFriendRequestById(db, row.id),
    );
    if (!inserted) return undefined;
    const request = toFriendRequest(inserted);
    actor.pushes?.send(otherId, { method: "friend.request", data: { request } });
    return request;
  }, "the request between you changed meanwhile, try again");
}

/**
 * Passes (2) or refuses (3) a request as the asked user, or cancels (4) it as the asker.
 * Someone who is neither gets 404: request ids are not theirs to probe.
 */
export async function handleFriendRequest(
  actor: Actor,
  body: HandleFriendRequestBody,
): Promise<FriendRequest> {
  const { db, userId: actorId } = actor;
  const request = await friendRequestQueries.findFriendRequestById(db, body.friendReqId);
  if (!request || (request.userId !== actorId && request.reqUid !== actorId)) {
    throw new NotFoundError("friend request not found");
  }
  if (body.handleResult === HANDLE_RESULT.cancelled && request.reqUid !== actorId) {
    throw new ForbiddenError("only the asker may cancel a friend request");
  }
  if (body.handleResult !== HANDLE_RESULT.cancelled && request.userId !== actorId) {
    throw new ForbiddenError("only the asked user may pass or refuse a friend request");
  }
  if (request.handleResult !== HANDLE_RESULT.pending) {
    throw new ConflictError("friend request was already handled");
  }
  if (body.handleResult === HANDLE_RESULT.passed) {
    return await passFriendRequest(actor, request, body.handleMsg ?? "");
  }
  const settled = await friendRequestQueries.settleFriendRequest(db, request.id, {
    handleResult: body.handleResult,
    handleMsg: body.handleMsg ?? "",
    handledAt: Date.now(),
  }).get();
  if (!settled) throw new ConflictError("friend request was already handled");
  // A refusal goes to the asker; a cancel, by the asker, to the asked user.
  const handled = toFriendRequest(settled);
  const otherId = actorId === settled.reqUid ? settled.userId : settled.reqUid;
  actor.pushes?.send(otherId, { method: "friend.handled", data: { request: handled } });
  return handled;
}

/**
 * Both friendship rows and the request's new state in one batch. The inserts only happen while
 * the request is pending, so of two racing handlers exactly one makes the friendship. The asker
 * is told (`friend.handled`).
 */
async function passFriendRequest(
  { db, events, pushes }: Actor,
  request: FriendRequestRow,
  handleMsg: string,
): Promise<FriendRequest> {
  const now = Date.now();
  await events.friendshipChanging(request.userId, request.reqUid);
  const [, , settled] = await runBatch(db, [
    friendQueries.insertFriendIfRequestPending(db, {
      id: newId(),
      userId: request.userId,
      friendUid: request.reqUid,
      createdAt: now,
    }, request.id),
    friendQueries.insertFriendIfRequestPending(db, {
      id: newId(),
      userId: request.reqUid,
      friendUid: request.userId,
      createdAt: now,
    }, request.id),
    friendRequestQueries.settleFriendRequest(db, request.id, {
      handleResult: HANDLE_RESULT.passed,
      handleMsg,
      handledAt: now,
    }),
  ]);
  const passed = settled[0];
  if (!passed) throw new ConflictError("friend request was already handled");
  await events.friendshipCreated(request.userId, request.reqUid);
  const handled = toFriendRequest(passed);
  pushes?.send(request.reqUid, { method: "friend.handled", data: { request: handled } });
  return handled;
}

/** Pending requests the caller received (default) or sent, one page. */
export async function listFriendRequests(
  { db, userId: actorId }: Actor,
  query: FriendRequestsQuery,
): Promise<Page<FriendRequest>> {
  return await readPage(
    query,
    (limit, after) =>
      friendRequestQueries.listPendingFriendRequests(db, actorId, query.direction, limit, after),
    (r) => ({ time: r.reqTime, id: r.id }),
    toFriendRequest,
  );
}

/** The caller's friends with nickname and avatar, one page. */
export async function listFriends(
  { db, userId: actorId }: Actor,
  query: FriendsQuery,
): Promise<Page<Friend>> {
  return await readPage(
    query,
    (limit, after) => friendQueries.listFriendsWithProfiles(db, actorId, limit, after),
    (r) => ({ time: r.createdAt, id: r.id }),
    toFriend,
  );
}

/** Sets the caller's remark for a friend; someone who is not a friend is 404. */
export async function setFriendRemark(
  { db, userId: actorId }: Actor,
  body: RemarkBody,
): Promise<Friend> {
  const updated = await friendQueries.updateFriendRemark(db, actorId, body.friendUid, body.remark);
  const friend = updated && await friendQueries.findFriend(db, actorId, body.friendUid);
  if (!friend) throw new NotFoundError("friend not found");
  return toFriend(friend);
}

/** Ends a friendship in both directions; someone who is not a friend is 404. */
export async function deleteFriend(
  { db, events, userId: actorId }: Actor,
  body: FriendUidBody,
): Promise<Record<string, never>> {
  // Checked before the announcement, so asking about a stranger leaves no chat state behind.
  if (!await friendQueries.areFriends(db, actorId, body.friendUid)) {
    throw new NotFoundError("friend not found");
  }
  await events.friendshipChanging(actorId, body.friendUid);
  const removed = await friendQueries.deleteFriendship(db, actorId, body.friendUid);
  if (removed === 0) throw new NotFoundError("friend not found");
  await events.friendshipRemoved(actorId, body.friendUid);
  return {};
}
