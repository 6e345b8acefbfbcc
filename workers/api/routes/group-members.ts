/** `/v1/social/group/…` — members, quit, kick, roles (CONTRACT §4). */
import { createRoute, z } from "@hono/zod-openapi";
import { ok } from "../../../shared/envelope.ts";
import { authedErrorResponses, errorResponse } from "../../../shared/http/schemas.ts";
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
import { requireAuth } from "../middleware/auth.ts";
import { bearerSecurity, jsonBody, successResponse } from "../route-helpers.ts";
import { createRouter } from "../router.ts";
import { membershipEvents } from "../services.ts";

const tags = ["groups"];
const security = bearerSecurity;
const success = successResponse;

const members = createRoute({
  method: "get",
  path: "/group/users",
  tags,
  security,
  middleware: [requireAuth] as const,
  summary: "A group's members with nickname and avatar (members only)",
  request: { query: groupPageQuerySchema },
  responses: {
    200: success("One page, earliest joiner first", groupMemberPageSchema),
    ...authedErrorResponses,
    403: errorResponse("Not a member (100006)"),
    404: errorResponse("No such group (100005)"),
  },
});

const quit = createRoute({
  method: "post",
  path: "/group/quit",
  tags,
  security,
  middleware: [requireAuth] as const,
  summary: "Leave a group (the creator must transfer ownership first)",
  request: { body: jsonBody(groupIdBodySchema) },
  responses: {
    200: success("Left", z.object({})),
    ...authedErrorResponses,
    403: errorResponse("Not a member (100006)"),
    404: errorResponse("No such group (100005)"),
    409: errorResponse("The creator cannot quit (100007)"),
  },
});

const kick = createRoute({
  method: "post",
  path: "/group/kick",
  tags,
  security,
  middleware: [requireAuth] as const,
  summary: "Remove a member (creator: anyone else; manager: plain members only)",
  request: { body: jsonBody(groupMemberBodySchema) },
  responses: {
    200: success("Removed", z.object({})),
    ...authedErrorResponses,
    403: errorResponse("Not allowed to kick that member (100006)"),
    404: errorResponse("No such group, or that user is not a member (100005)"),
  },
});

const role = createRoute({
  method: "put",
  path: "/group/role",
  tags,
  security,
  middleware: [requireAuth] as const,
  summary: "Make a member manager (2) or member (3), or transfer ownership (1) — creator only",
  request: { body: jsonBody(setRoleBodySchema) },
  responses: {
    200: success("The member with the new role", groupMemberSchema),
    ...authedErrorResponses,
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
      ok(await quitGroup(c.var.db, membershipEvents(c.env), c.var.userId, groupId)),
      200,
    );
  })
  .openapi(kick, async (c) => {
    const body = c.req.valid("json");
    return c.json(
      ok(await kickMember(c.var.db, membershipEvents(c.env), c.var.userId, body)),
      200,
    );
  })
  .openapi(role, async (c) => {
    return c.json(ok(await setMemberRole(c.var.db, c.var.userId, c.req.valid("json"))), 200);
  });
