/** `/v1/social/group/…` — members, quit, kick, roles (CONTRACT §4). */
import { z } from "@hono/zod-openapi";
import { ok } from "../../../shared/envelope.ts";
import {
  kickMember,
  listGroupMembers,
  quitGroup,
  setMemberRole,
} from "../../../shared/social/group-member-service.ts";
import {
  groupIdBodySchema,
  groupMemberBodySchema,
  groupMemberPageSchema,
  groupMemberSchema,
  groupPageQuerySchema,
  setRoleBodySchema,
} from "../../../shared/social/group-schemas.ts";
import { actorOf, tokenRoutes } from "../route-helpers.ts";
import { createRouter } from "../router.ts";

const route = tokenRoutes("groups");

const members = route.get("/group/users", {
  summary: "A group's members with nickname and avatar (members only)",
  query: groupPageQuerySchema,
  ok: ["One page, earliest joiner first", groupMemberPageSchema],
  errors: { 403: "Not a member (100006)", 404: "No such group (100005)" },
});

const quit = route.post("/group/quit", {
  summary: "Leave a group (the creator must transfer ownership first)",
  body: groupIdBodySchema,
  ok: ["Left", z.object({})],
  errors: {
    403: "Not a member (100006)",
    404: "No such group (100005)",
    409: "The creator cannot quit (100007)",
  },
});

const kick = route.post("/group/kick", {
  summary: "Remove a member (creator: anyone else; manager: plain members only)",
  body: groupMemberBodySchema,
  ok: ["Removed", z.object({})],
  errors: {
    403: "Not allowed to kick that member (100006)",
    404: "No such group, or that user is not a member (100005)",
  },
});

const role = route.put("/group/role", {
  summary: "Make a member manager (2) or member (3), or transfer ownership (1) — creator only",
  body: setRoleBodySchema,
  ok: ["The member with the new role", groupMemberSchema],
  errors: {
    403: "Not the creator (100006)",
    404: "No such group, or that user is not a member (100005)",
  },
});

export const groupMemberRoutes = createRouter()
  .openapi(members, async (c) => {
    return c.json(ok(await listGroupMembers(actorOf(c), c.req.valid("query"))), 200);
  })
  .openapi(quit, async (c) => c.json(ok(await quitGroup(actorOf(c), c.req.valid("json"))), 200))
  .openapi(kick, async (c) => c.json(ok(await kickMember(actorOf(c), c.req.valid("json"))), 200))
  .openapi(role, async (c) => {
    return c.json(ok(await setMemberRole(actorOf(c), c.req.valid("json"))), 200);
  });
