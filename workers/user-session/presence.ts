/**
 * Presence as the session objects know it: a user is online while their UserSession holds at
 * least one open socket. Asked of each object over RPC, never guessed or cached. Someone who
 * blocks the viewer looks offline to them (CONTRACT §10), and their session is not even asked.
 */
import { blockersAmong } from "../../shared/db/blocks.ts";
import type { Db } from "../../shared/db/client.ts";
import { listFriendIds } from "../../shared/db/friends.ts";
import { MAX_GROUP_MEMBERS } from "../../shared/limits.ts";
import type { OnlineList } from "../../shared/protocol/index.ts";

/** Lookups in flight at once, so a 500-member group does not open 500 calls together. */
const PRESENCE_CONCURRENCY = 50;

/**
 * Most users one presence answer covers: a whole group (MAX_GROUP_MEMBERS), or the oldest this
 * many friendships, so one request never fans out to an unbounded number of objects.
 */
export const PRESENCE_LIST_LIMIT = MAX_GROUP_MEMBERS;

/** `{[userId]: online}` for `userIds`, asked of their UserSession objects. */
async function onlineMap(
  sessions: Env["USER_SESSION"],
  userIds: readonly string[],
): Promise<Record<string, boolean>> {
  const onlineList: Record<string, boolean> = {};
  for (let start = 0; start < userIds.length; start += PRESENCE_CONCURRENCY) {
    const chunk = userIds.slice(start, start + PRESENCE_CONCURRENCY);
    const counts = await Promise.all(chunk.map((id) => sessions.getByName(id).socketCount()));
    chunk.forEach((id, index) => {
      onlineList[id] = (counts[index] ?? 0) > 0;
    });
  }
  return onlineList;
}

/**
 * `{onlineList}` for `userIds` as `viewerId` may see it: every id is listed, and those who
 * block the viewer are shown offline — exactly as an offline user, so the block stays unseen.
 */
export async function onlineListFor(
  db: Db,
  sessions: Env["USER_SESSION"],
  viewerId: string,
  userIds: readonly string[],
): Promise<OnlineList> {
  const blockers = await blockersAmong(db, viewerId, userIds);
  const asked = await onlineMap(sessions, userIds.filter((id) => !blockers.has(id)));
  const onlineList: Record<string, boolean> = {};
  for (const id of userIds) onlineList[id] = asked[id] ?? false;
  return { onlineList };
}

/** Which of `userId`'s friends are online: `user.online` and GET /v1/social/friends/online. */
export async function listFriendsOnline(
  db: Db,
  sessions: Env["USER_SESSION"],
  userId: string,
): Promise<OnlineList> {
  const friendIds = await listFriendIds(db, userId, PRESENCE_LIST_LIMIT);
  return await onlineListFor(db, sessions, userId, friendIds);
}
