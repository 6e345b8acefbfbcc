/**
 * `/v1/social` group routes (CONTRACT §4): the group itself and the caller's groups here, join
 * requests in group-requests.ts, members in group-members.ts, who is online in presence.ts.
 */
import { z } from "@hono/zod-openapi";
import { ok } from "../../../shared/envelope.ts";
import { errorResponse } from "../../../shared/http/schemas.ts";
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
import { jsonBody, successResponse, tokenRoutes } from "../route-helpers.ts";
import { createRouter } from "../router.ts";
import { groupMemberRoutes } from "./group-members.ts";
import { groupRequestRoutes } from "./group-requests.ts";

const route = tokenRoutes("groups");

const create = route({
  method: "post",
  path: "/group",
  summary: "Create a group; the caller becomes its creator (roleLevel 1)",
  request: { body: jsonBody(createGroupBodySchema) },
  responses: { 200: successResponse("The new group", groupSchema) },
});

const update = route({
  method: "put",
  path: "/group",
  summary: "Update name, icon, isVerify or notification (creator or manager)",
  request: { body: jsonBody(updateGroupBodySchema) },
  responses: {
    200: successResponse("The updated group", groupSchema),
    403: errorResponse("Not a member, or a plain member (100006)"),
    404: errorResponse("No such group, or dissolved (100005)"),
  },
});

const dissolve = route({
  method: "delete",
  path: "/group",
  summary: "Dissolve a group (creator only): members removed, pending requests cancelled",
  request: { body: jsonBody(groupIdBodySchema) },
  responses: {
    200: successResponse("Dissolved", z.object({})),
    403: errorResponse("Not the creator (100006)"),
    404: errorResponse("No such group, or already dissolved (100005)"),
  },
});

const mine = route({
  method: "get",
  path: "/groups",
  summary: "The groups the caller is a member of",
  request: { query: groupsQuerySchema },
  responses: { 200: successResponse("One page, in the order the caller joined", groupPageSchema) },
});

export const groupRoutes = createRouter()
  .openapi(create, async (c) => {
    const group = await createGroup(
      c.var.db,
      c.var.membershipEvents,
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
      ok(await dissolveGroup(c.var.db, c.var.membershipEvents, c.var.userId, groupId)),
      200,
    );
  })
  .openapi(mine, async (c) => {
    return c.json(ok(await listMyGroups(c.var.db, c.var.userId, c.req.valid("query"))), 200);
  })
  .route("/", groupRequestRoutes)
  .route("/", groupMemberRoutes);
