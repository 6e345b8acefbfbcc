/**
 * The contract's numeric constants (CONTRACT §1, §6) under names, and the conversation id rule
 * (§5), so an app never writes a bare `2` or joins ids by hand.
 */

export const CHAT_TYPE = { group: 1, single: 2 } as const;
export const MESSAGE_TYPE = { text: 0, image: 1, file: 2, custom: 3, voice: 4 } as const;
export const HANDLE_RESULT = {
  pending: 1,
  passed: 2,
  refused: 3,
  cancelled: 4,
} as const;
export const ROLE_LEVEL = { creator: 1, manager: 2, member: 3 } as const;
export const JOIN_SOURCE = { invited: 1, applied: 2 } as const;
export const SEX = { unknown: 0, male: 1, female: 2 } as const;

/** Application codes of the envelope and of error frames; 0 is the SDK's own "no answer". */
export const ERROR_CODE = {
  noAnswer: 0,
  internal: 100001,
  invalidParams: 100002,
  unauthorized: 100003,
  storage: 100004,
  notFound: 100005,
  forbidden: 100006,
  conflict: 100007,
  rateLimited: 100008,
  payloadTooLarge: 100009,
} as const;

/** Close codes the server uses (CONTRACT §6, §7.6). */
export const CLOSE_CODE = {
  normal: 1000,
  idle: 4000,
  tokenExpired: 4001,
  replaced: 4002,
  revoked: 4003,
  flooding: 4008,
} as const;

/** Close codes after which reconnecting cannot help (docs/sdk.md "Final closes"). */
export const FINAL_CLOSE_CODES: ReadonlySet<number> = new Set([
  CLOSE_CODE.tokenExpired, // log in again
  CLOSE_CODE.replaced, // reconnecting would push the newer connection out, for ever
  CLOSE_CODE.revoked, // log in again
]);

export type ChatType = (typeof CHAT_TYPE)[keyof typeof CHAT_TYPE];

/**
 * The id of the conversation a message to `targetId` lands in: a group's id, or, for a single
 * chat, the two user ids sorted and joined with "_" (ids never contain "_").
 */
export function conversationIdOf(
  chatType: ChatType,
  myId: string,
  targetId: string,
): string {
  if (chatType === CHAT_TYPE.group) return targetId;
  return myId < targetId ? `${myId}_${targetId}` : `${targetId}_${myId}`;
}
