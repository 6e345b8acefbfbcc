/**
 * Group invitations (CONTRACT §15): an invite of someone who is not the inviter's friend waits
 * for the invitee's answer. `groupInvitations` iterates the caller's pending ones, page after
 * page; `answerGroupInvitation` accepts or declines one. New ones arrive live as the session's
 * `group.invitation` event.
 */
import type { ApiClient } from "./http.ts";
import { unwrap } from "./http.ts";
import { items } from "./pages.ts";
import type { GroupInvitation } from "./protocol.ts";

/** Every pending, unexpired invitation of the caller, oldest first; `limit` per page (1–200). */
export function groupInvitations(
  api: ApiClient,
  options: { limit?: number } = {},
): AsyncGenerator<GroupInvitation, void, undefined> {
  return items((cursor) =>
    unwrap(
      api.GET("/v1/social/group/invitations", {
        params: { query: { ...options, ...(cursor !== undefined && { cursor }) } },
      }),
    )
  );
}

/**
 * Accepts (`accept: true`) or declines an invitation (the invitee only). The answer's `request` is
 * the join it made — `handleResult` 2 when in at once, 1 when a manager must let the invitee in —
 * or null after a decline.
 */
export function answerGroupInvitation(
  api: ApiClient,
  invitationId: string,
  accept: boolean,
) {
  return unwrap(api.PUT("/v1/social/group/invitation", { body: { invitationId, accept } }));
}

/** The invitation as it is now, and the join request it made (null after a decline). */
export type InvitationAnswer = Awaited<ReturnType<typeof answerGroupInvitation>>;
