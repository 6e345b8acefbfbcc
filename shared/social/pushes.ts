/**
 * Social pushes (CONTRACT §14): what a user's sockets are told when their friends, requests,
 * invitations and groups change. Best effort and not stored — the lists stay the truth — so a
 * service hands a push over and goes on: the Worker's implementation sends it after the answer
 * (workers/api/middleware/social-pushes.ts), and a failed push fails nothing.
 */
import type { FriendRequest } from "./friend-schemas.ts";
import type { Group } from "./group-schemas.ts";
import type { GroupInvitation } from "./invitation-schemas.ts";

/** Why a user is no longer in a group, as `group.removed` says it. */
export type GroupRemovedReason = "kicked" | "dissolved" | "quit";

/** Every social push: the method and its `data`. */
export type SocialPush =
  /** To the asked user: someone asked them to be friends. */
  | { method: "friend.request"; data: { request: FriendRequest } }
  /** To the other party of a request that was passed, refused or cancelled. */
  | { method: "friend.handled"; data: { request: FriendRequest } }
  /** To both sides of an ended friendship: `userId` is the other one. */
  | { method: "friend.removed"; data: { userId: string } }
  /** To the invitee: an invitation waits for their answer. */
  | { method: "group.invitation"; data: { invitation: GroupInvitation } }
  /** To the joiner: they are a member now. */
  | { method: "group.joined"; data: { group: Group } }
  /** To the one who left, was kicked, or whose group was dissolved. */
  | { method: "group.removed"; data: { groupId: string; reason: GroupRemovedReason } }
  /** To a friend with an open socket: `userId` came online or went offline. */
  | { method: "presence"; data: { userId: string; online: boolean } };

export interface SocialPushes {
  /**
   * Pushes to every open socket of each of `userIds`, after the request's answer; never throws.
   * A promise is awaited there too, so building the push (a read) does not delay the answer.
   */
  send(userIds: string | readonly string[], push: SocialPush | Promise<SocialPush>): void;
}

/** Pushes nobody receives, for code paths with no sockets to tell (tests of the services). */
export const noSocialPushes: SocialPushes = { send: () => {} };
