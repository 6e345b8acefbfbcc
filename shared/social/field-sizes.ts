/** Sizes of the free-text fields of users and the social service (CONTRACT §3–§4, decisions in docs/social.md). */

/** Friend and group request messages (`reqMsg`, `handleMsg`), in characters. */
export const MAX_REQUEST_MESSAGE_CHARS = 200;
/** A friend's remark, in characters (empty clears it). */
export const MAX_REMARK_CHARS = 24;
/** Group name, in characters. */
export const MIN_GROUP_NAME_CHARS = 1;
export const MAX_GROUP_NAME_CHARS = 32;
/** Group notification (announcement), in characters. */
export const MAX_NOTIFICATION_CHARS = 1000;
/** A user's nickname, in characters. */
export const MAX_NICKNAME_CHARS = 24;
