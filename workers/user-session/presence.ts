/**
 * Presence as the session objects know it: a user is online while their UserSession holds at
 * least one open socket. Asked of each object over RPC, never guessed or cached.
 */
import { MAX_GROUP_MEMBERS } from "../../shared/limits.ts";
import type { UserSession } from "./index.ts";

/** Lookups in flight at once, so a 500-member group does not open 500 calls together. */
const PRESENCE_CONCURRENCY = 50;

/** `{[userId]: online}` for `userIds`, asked of their UserSession objects. */
export async function onlineMap(
  sessions: DurableObjectNamespace<UserSession>,
  userIds: readonly string[],
): Promise<Record<string, boolean>> {
  const onlineList: Record<string, boolean> = {};
  for (let start = 0; start < userIds.length; start += PRESENCE_CONCURRENCY) {
    const chunk = userIds.slice(start, start + PRESENCE_CONCURRENCY);
    const answers = await Promise.all(chunk.map((id) => sessions.getByName(id).isOnline()));
    chunk.forEach((id, index) => {
      onlineList[id] = answers[index] === true;
    });
  }
  return onlineList;
}

/**
 * Most users one presence answer covers: a whole group (MAX_GROUP_MEMBERS), or the oldest this
 * many friendships, so one request never fans out to an unbounded number of objects.
 */
export const PRESENCE_LIST_LIMIT = MAX_GROUP_MEMBERS;
