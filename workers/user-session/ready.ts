/**
 * What `session.ready` tells a client it missed: the SESSION_READY_CONVERSATIONS most recently
 * active conversations of the user's list with `{seq, read, unread}`.
 */
import type { ReadyConversation } from "../../shared/protocol/index.ts";
import { chatSessionOf } from "./chat-session.ts";

/** `session.ready`'s `conversations`, keyed by conversation id (one local read). */
export function readyConversations(
  ctx: DurableObjectState,
  env: Env,
): Record<string, ReadyConversation> {
  return chatSessionOf(ctx, env).readyConversations();
}
