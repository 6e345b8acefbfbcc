/** `/v1/social/group/…` — members, quit, kick, roles (CONTRACT §4), mutes (§10). */
import { z } from "@hono/zod-openapi";
import * as members from "../../../shared/social/group-member-service.ts";
import { muteMember } from "../../../shared/social/group-mute-service.ts";
import * as schemas from "../../../shared/social/group-schemas.ts";
import { actorOf, tokenRoutes } from "../route-helpers.ts";
import { createRouter } from "../router.ts";

export const groupMemberRoutes = createRouter();
const route = tokenRoutes(groupMemberRoutes, "groups");

route.get("/group/users", {
  summary: "A group's members with nickname and avatar (members only)",
  query: schemas.groupPageQuerySchema,
  ok: ["One page, earliest joiner first", schemas.groupMemberPageSchema],
  errors: { 403: "Not a member (100006)", 404: "No such group (100005)" },
}, (c) => members.listGroupMembers(actorOf(c), c.req.valid("query")));

route.post("/group/quit", {
  summary: "Leave a group (the creator must transfer ownership first)",
  body: schemas.groupIdBodySchema,
  ok: ["Left", z.object({})],
  errors: {
    403: "Not a member (100006)",
    404: "No such group (100005)",
    409: "The creator cannot quit (100007)",
  },
}, (c) => members.quitGroup(actorOf(c), c.req.valid("json")));

route.post("/group/kick", {
  summary: "Remove a member (creator: anyone else; manager: plain members only)",
  body: schemas.groupMemberBodySchema,
  ok: ["Removed", z.object({})],
  errors: {
    403: "Not allowed to kick that member (100006)",
    404: "No such group, or that user is not a member (100005)",
  },
}, (c) => members.kickMember(actorOf(c), c.req.valid("json")));

route.put("/group/role", {
  summary: "Make a member manager (2) or member (3), or transfer ownership (1) — creator only",
  body: schemas.setRoleBodySchema,
  ok: ["The member with the new role", schemas.groupMemberSchema],
  errors: {
    403: "Not the creator (100006)",
    404: "No such group, or that user is not a member (100005)",
  },
}, (c) => members.setMemberRole(actorOf(c), c.req.valid("json")));

route.put("/group/mute", {
  summary: "Mute a member until a time, or unmute with 0 (creator: anyone else; manager: members)",
  body: schemas.muteMemberBodySchema,
  ok: ["The member with the new muteUntil", schemas.groupMemberSchema],
  errors: {
    403: "Not allowed to mute that member, or the creator (100006)",
    404: "No such group, or that user is not a member (100005)",
    409: "That membership changed meanwhile (100007)",
  },
}, (c) => muteMember(actorOf(c), c.req.valid("json")));
