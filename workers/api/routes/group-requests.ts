/**
 * `/v1/social/group/putIn(s)` — apply, invite, handle and list join requests (CONTRACT §4) — and
 * `/v1/social/group/invitation(s)`, the invitee's side of an invite of a non-friend (§15).
 */
import { z } from "@hono/zod-openapi";
import { GROUP_INVITATIONS_PER_DAY } from "../../../shared/limits.ts";
import * as invitations from "../../../shared/social/group-invitation-service.ts";
import * as joins from "../../../shared/social/group-join-service.ts";
import * as schemas from "../../../shared/social/group-schemas.ts";
import * as invitationSchemas from "../../../shared/social/invitation-schemas.ts";
import { actorOf, tokenRoutes } from "../route-helpers.ts";
import { createRouter } from "../router.ts";

export const groupRequestRoutes = createRouter();
const route = tokenRoutes(groupRequestRoutes, "groups");

route.post("/group/putIn", {
  summary: "Apply to join (joinSource 2) or invite someone (joinSource 1)",
  description: "An invite of someone who is not the caller's friend makes a pending " +
    "GroupInvitation that only the invitee answers (PUT /group/invitation); a second invite of " +
    "the same user returns it. Otherwise the joiner is in at once (handleResult 2) when the " +
    "group has isVerify false or a creator/manager invites; else a pending request " +
    "(handleResult 1) is made, or the pending one returned.",
  body: schemas.joinGroupBodySchema,
  ok: [
    "The join request, passed or pending; or, for an invite of a non-friend, the invitation",
    z.union([schemas.groupRequestSchema, invitationSchemas.groupInvitationSchema]),
  ],
  errors: {
    403: "Inviting into a group the caller is not a member of, or a user who blocks the " +
      "caller (100006)",
    404: "No such group, or no such invitee (100005)",
    409: "Already a member, or the group is full (100007)",
    429: `More than ${GROUP_INVITATIONS_PER_DAY.limit} invitations of non-friends in a day ` +
      "(100008, Retry-After)",
  },
}, (c) => joins.requestToJoin(actorOf(c), c.req.valid("json")));

route.put("/group/putIn", {
  summary: "Pass or refuse a pending join request (creator or manager)",
  body: schemas.handleGroupRequestBodySchema,
  ok: ["The handled request", schemas.groupRequestSchema],
  errors: {
    403: "Not a member, or a plain member (100006)",
    404: "No such group or request (100005)",
    409: "Already handled, or the group is full (100007)",
  },
}, (c) => joins.handleJoinRequest(actorOf(c), c.req.valid("json")));

route.get("/group/putIns", {
  summary: "A group's pending join requests (creator or manager)",
  query: schemas.groupPageQuerySchema,
  ok: ["One page, oldest first", schemas.groupRequestPageSchema],
  errors: { 403: "Not a member, or a plain member (100006)", 404: "No such group (100005)" },
}, (c) => joins.listJoinRequests(actorOf(c), c.req.valid("query")));

route.get("/group/invitations", {
  summary: "The caller's pending group invitations (expired ones are left out)",
  query: invitationSchemas.invitationsQuerySchema,
  ok: ["One page, oldest first", invitationSchemas.groupInvitationPageSchema],
}, (c) => invitations.listMyInvitations(actorOf(c), c.req.valid("query")));

route.put("/group/invitation", {
  summary: "Accept or decline a group invitation (the invitee only)",
  description: "Accepting joins as the invite would have: at once when the group has isVerify " +
    "false or the inviter is its creator or a manager, else a pending join request.",
  body: invitationSchemas.answerInvitationBodySchema,
  ok: [
    "The invitation as it is now, and the join it made",
    invitationSchemas.invitationAnswerSchema,
  ],
  errors: {
    403: "The inviter answering their own invitation (100006)",
    404: "No such invitation, or not yours (100005)",
    409: "Already answered, cancelled or expired; already a member; the group is full; or the " +
      "caller is in too many groups (100007)",
  },
}, (c) => invitations.answerInvitation(actorOf(c), c.req.valid("json")));
