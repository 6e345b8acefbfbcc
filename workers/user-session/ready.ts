/**
 * What `session.ready` tells a client it missed. The session issue ships it empty; the
 * messaging issue replaces this one function (the up to SESSION_READY_CONVERSATIONS most
 * recently active conversations with `{seq, read, unread}`), nothing else has to change.
 */
import type { ReadyConversation } from "../../shared/protocol/index.ts";

/** `session.ready`'s `conversations` for `userId`, keyed by conversation id. */
export function readyConversations(
  _env: Env,
  _userId: string,
): Promise<Record<string, ReadyConversation>> {
  return Promise.resolve({});
}
