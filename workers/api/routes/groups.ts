/**
 * `/v1/social` group routes (CONTRACT §4): the group itself and the caller's groups here, join
 * requests in group-requests.ts, members in group-members.ts. `GET /group/users/online` comes
 * with the chat sessions issue, not here.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { ok } from "../../../shared/envelope.ts";
import { authedErrorResponses, errorResponse } from "../../../shared/http/schemas.ts";
import {
  createGroupBodySchema,
  groupIdBodySchema,
  groupPageSchema,
  groupSchema,
  groupsQuerySchema,
  updateGroupBodySchema,
} from "../../../shared/social/group-schemas.ts";
import {
  createGroup,
  dissolveGroup,
  listMyGroups,
  updateGroup,
} from "../../../shared/social/group-service.ts";
import { requireAuth } from "../middleware/auth.ts";
import { bearerSecurity, jsonBody, successResponse } from "../route-helpers.ts";
import { createRouter } from "../router.ts";
import { membershipEvents } from "../services.ts";
import { groupMemberRoutes } from "./group-members.ts";
import { groupRequestRoutes } from "./group-requests.ts";

const tags = ["groups"];
const security = bearerSecurity;
const success = successResponse;

const create = createRoute({
  method: "post",
  path: "/group",
  tags,
  security,
  middleware: [requireAuth] as const,
  summary: "Create a group; the caller becomes its creator (roleLevel 1)",
  request: { body: jsonBody(createGroupBodySchema) },
  responses: {
    200: success("The new group", groupSchema),
    ...authedErrorResponses,
  },
});

const update = createRoute({
  method: "put",
  path: "/group",
  tags,
  security,
  middleware: [requireAuth] as const,
  summary: "Update name, icon, isVerify or notification (creator or manager)",
  request: { body: jsonBody(updateGroupBodySchema) },
  responses: {
    200: success("The updated group", groupSchema),
    ...authedErrorResponses,
    403: errorResponse("Not a member, or a plain member (100006)"),
    404: errorResponse("No such group, or dissolved (100005)"),
  },
});

const dissolve = createRoute({
  method: "delete",
  path: "/group",
  tags,
  security,
  middleware: [requireAuth] as const,
  summary: "Dissolve a group (creator only): members removed, pending requests cancelled",
  request: { body: jsonBody(groupIdBodySchema) },
  responses: {
    200: success("Dissolved", z.object({})),
    ...authedErrorResponses,
    403: errorResponse("Not the creator (100006)"),
    404: errorResponse("No such group, or already dissolved (100005)"),
  },
});

const mine = createRoute({
  method: "get",
  path: "/groups",
  tags,
  security,
  middleware: [requireAuth] as const,
  summary: "The groups the caller is a member of",
  request: { query: groupsQuerySchema },
  responses: {
    200: success("One page, in the order the caller joined", groupPageSchema),
    ...authedErrorResponses,
  },
});

export const groupRoutes = createRouter()
  .openapi(create, async (c) => {
    const group = await createGroup(
      c.var.db,
      membershipEvents(c.env),
      c.var.userId,
      c.req.valid("json"),
    );
    return c.json(ok(group), 200);
  })
  .openapi(update, async (c) => {
    return c.json(ok(await updateGroup(c.var.db, c.var.userId, c.req.valid("json"))), 200);
  })
  .openapi(dissolve, async (c) => {
    const { groupId } = c.req.valid("json");
    return c.json(
      ok(await dissolveGroup(c.var.db, membershipEvents(c.env), c.var.userId, groupId)),
      200,
    );
  })
  .openapi(mine, async (c) => {
    return c.json(ok(await listMyGroups(c.var.db, c.var.userId, c.req.valid("query"))), 200);
  })
  .route("/", groupRequestRoutes)
  .route("/", groupMemberRoutes);
