/**
 * Social pushes (shared/social/pushes.ts) delivered through the users' UserSession objects (their
 * `push` RPC, which sends a frame to every open socket),
 * after the answer: each send is handed to `waitUntil`, so a route never waits for sockets, and
 * a push that fails is logged and dropped (best effort, CONTRACT §14).
 */
import { pushFrame } from "../shared/protocol/index.ts";
import type { SocialPush, SocialPushes } from "../shared/social/pushes.ts";

/** Sessions called at once, so a dissolved 500-member group does not open 500 calls together. */
const PUSH_CONCURRENCY = 50;

/** Pushes `push` to each user's sockets; resolves when every call has answered or failed. */
export async function pushToSessions(
  sessions: Env["USER_SESSION"],
  userIds: readonly string[],
  push: SocialPush,
): Promise<void> {
  const frame = pushFrame(push.method, push.data as never);
  for (let start = 0; start < userIds.length; start += PUSH_CONCURRENCY) {
    const part = userIds.slice(start, start + PUSH_CONCURRENCY);
    const results = await Promise.allSettled(
      part.map((userId) => sessions.getByName(userId).push(frame)),
    );
    const failed = results.filter((result) => result.status === "rejected").length;
    if (failed > 0) console.warn(`${push.method}: ${failed} of ${part.length} pushes failed`);
  }
}

/** The SocialPushes of one request: sent after its answer through `waitUntil`. */
export function sessionSocialPushes(
  sessions: Env["USER_SESSION"],
  waitUntil: (work: Promise<unknown>) => void,
): SocialPushes {
  return {
    send(userIds, push) {
      const ids = typeof userIds === "string" ? [userIds] : [...new Set(userIds)];
      if (ids.length === 0) return;
      const sent = Promise.resolve(push).then((ready) => pushToSessions(sessions, ids, ready));
      waitUntil(sent.catch((error: unknown) => console.warn("social push failed:", error)));
    },
  };
}
