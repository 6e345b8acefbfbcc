/** `/v1/social/group/…` — members, quit, kick, roles (CONTRACT §4). */
import { z } from "@hono/zod-openapi";
import { ok } from "../../../shared/envelope.ts";
import { errorResponse } from "../../../shared/http/schemas.ts";
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
import { jsonBody, successResponse, tokenRoutes } from "../route-helpers.ts";
import { createRouter } from "../router.ts";

const route = tokenRoutes("groups");

const members = route({
  method: "get",
  path: "/group/users",
  summary: "A group's members with nickname and avatar (members only)",
  request: { query: groupPageQuerySchema },
  responses: {
    200: successResponse("One page, earliest joiner first", groupMemberPageSchema),
    403: errorResponse("Not a member (100006)"),
    404: errorResponse("No such group (100005)"),
  },
});

const quit = route({
  method: "post",
  path: "/group/quit",
  summary: "Leave a group (the creator must transfer ownership first)",
  request: { body: jsonBody(groupIdBodySchema) },
  responses: {
    200: successResponse("Left", z.object({})),
    403: errorResponse("Not a member (100006)"),
    404: errorResponse("No such group (100005)"),
    409: errorResponse("The creator cannot quit (100007)"),
  },
});

const kick = route({
  method: "post",
  path: "/group/kick",
  summary: "Remove a member (creator: anyone else; manager: plain members only)",
  request: { body: jsonBody(groupMemberBodySchema) },
  responses: {
    200: successResponse("Removed", z.object({})),
    403: errorResponse("Not allowed to kick that member (100006)"),
    404: errorResponse("No such group, or that user is not a member (100005)"),
  },
});

const role = route({
  method: "put",
  path: "/group/role",
  summary: "Make a member manager (2) or member (3), or transfer ownership (1) — creator only",
  request: { body: jsonBody(setRoleBodySchema) },
  responses: {
    200: successResponse("The member with the new role", groupMemberSchema),
    403: errorResponse("Not the creator (100006)"),
    404: errorResponse("No such group, or that user is not a member (100005)"),
  },
});

export const groupMemberRoutes = createRouter()
  .openapi(members, async (c) => {
    return c.json(ok(await listGroupMembers(c.var.db, c.var.userId, c.req.valid("query"))), 200);
  })
  .openapi(quit, async (c) => {
    const { groupId } = c.req.valid("json");
    return c.json(
      ok(await quitGroup(c.var.db, c.var.membershipEvents, c.var.userId, groupId)),
      200,
    );
  })
  .openapi(kick, async (c) => {
    const body = c.req.valid("json");
    return c.json(
      ok(await kickMember(c.var.db, c.var.membershipEvents, c.var.userId, body)),
      200,
    );
  })
  .openapi(role, async (c) => {
    return c.json(ok(await setMemberRole(c.var.db, c.var.userId, c.req.valid("json"))), 200);
  });
