/**
 * The block list (CONTRACT §10): block, unblock, list. A block is the blocker's private matter:
 * the blocked user learns of it only through the refusals it causes (friend requests, single
 * chat, presence), never from these routes.
 */
import * as blockQueries from "../db/blocks.ts";
import { wereEverFriends } from "../db/friend-requests.ts";
import { findUserById } from "../db/users.ts";
import { ConflictError, InvalidParamsError, NotFoundError } from "../errors.ts";
import { newId } from "../ids.ts";
import { MAX_BLOCKS_PER_USER } from "../limits.ts";
import type { PublicUser } from "../users/schemas.ts";
import { toPublicUser } from "../users/schemas.ts";
import type { Actor } from "./actor.ts";
import type { BlockBody } from "./block-schemas.ts";
import { type Page, type PageRequest, readPage } from "./pagination.ts";

/** The answer when the caller already blocks MAX_BLOCKS_PER_USER users (CONTRACT §9). */
export const TOO_MANY_BLOCKS =
  `you already block ${MAX_BLOCKS_PER_USER} users, the most there may be: unblock someone first`;

/** The other user of a block or unblock, checked: not the caller, and an existing user. */
async function requireOtherUser({ db, userId: actorId }: Actor, { userId }: BlockBody) {
  if (userId === actorId) {
    throw new InvalidParamsError("userId: you cannot block or unblock yourself");
  }
  if (!await findUserById(db, userId)) throw new NotFoundError("user not found");
  return userId;
}

/**
 * Runs `write`, a block or unblock between the caller and `otherId`, announced to their single
 * chat (before and after, as every change of who may send is). A chat that cannot have stored
 * anything — the two were never friends — is left alone, so blocking a stranger stores no
 * conversation: its first use reads the block from D1. A friendship made while `write` ran is
 * caught by asking again after it, and then announced (the chat re-reads D1).
 */
async function announcedToTheirChat<T>(
  { db, events, userId: actorId }: Actor,
  otherId: string,
  write: () => Promise<T>,
): Promise<T> {
  const chatMayExist = await wereEverFriends(db, actorId, otherId);
  if (chatMayExist) await events.blockChanging(actorId, otherId);
  const written = await write();
  if (chatMayExist || await wereEverFriends(db, actorId, otherId)) {
    if (!chatMayExist) await events.blockChanging(actorId, otherId);
    await events.blockChanged(actorId, otherId);
  }
  return written;
}

/**
 * Blocks `body.userId`. Idempotent: blocking again answers the same and stores nothing (the
 * unique index holds that under a burst too); the cap is counted inside the insert.
 */
export async function blockUser(actor: Actor, body: BlockBody): Promise<Record<string, never>> {
  const { db, userId: actorId } = actor;
  const otherId = await requireOtherUser(actor, body);
  // Nothing to write, so nothing to announce; a racing unblock announces its own change.
  if (await blockQueries.hasBlocked(db, actorId, otherId)) return {};
  const row = { id: newId(), userId: actorId, blockedUid: otherId, createdAt: Date.now() };
  await announcedToTheirChat(actor, otherId, async () => {
    const inserted = await blockQueries.insertBlockIfRoom(db, row);
    // Nothing inserted: a twin request blocked first (fine), or the caller is at the cap.
    if (!inserted && !await blockQueries.hasBlocked(db, actorId, otherId)) {
      throw new ConflictError(TOO_MANY_BLOCKS);
    }
  });
  return {};
}

/** Unblocks `body.userId`; someone not blocked answers the same, and nothing is announced. */
export async function unblockUser(actor: Actor, body: BlockBody): Promise<Record<string, never>> {
  const { db, userId: actorId } = actor;
  const otherId = await requireOtherUser(actor, body);
  if (!await blockQueries.hasBlocked(db, actorId, otherId)) return {};
  // A twin unblock may have removed the row first: the block is gone either way.
  await announcedToTheirChat(actor, otherId, () => blockQueries.deleteBlock(db, actorId, otherId));
  return {};
}

/** The users the caller has blocked, earliest block first, one page. */
export async function listBlockedUsers(
  { db, userId: actorId }: Actor,
  query: PageRequest,
): Promise<Page<PublicUser>> {
  return await readPage(
    query,
    (limit, after) => blockQueries.listBlockedUsers(db, actorId, limit, after),
    (r) => ({ time: r.blockedAt, id: r.blockId }),
    toPublicUser,
  );
}
