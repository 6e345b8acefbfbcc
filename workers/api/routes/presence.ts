/**
 * Presence routes (CONTRACT §3, §4): who holds an open WebSocket right now, answered by the
 * users' UserSession objects themselves.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { findGroupMember, listGroupMemberIds } from "../../../shared/db/group-members.ts";
import { findActiveGroup } from "../../../shared/db/groups.ts";
import { ok } from "../../../shared/envelope.ts";
import { ForbiddenError, NotFoundError } from "../../../shared/errors.ts";
import { authedErrorResponses, errorResponse, idSchema } from "../../../shared/http/schemas.ts";
import { listFriendsOnline, onlineMap, PRESENCE_LIST_LIMIT } from "../../user-session/presence.ts";
import { requireAuth } from "../middleware/auth.ts";
import { bearerSecurity, successResponse } from "../route-helpers.ts";
import { createRouter } from "../router.ts";

const tags = ["presence"];
const onlineListSchema = z.object({
  onlineList: z.record(z.string(), z.boolean()).openapi({
    example: { "3f9c2a7e1b8d4c6fa0e5d2b1c9f8e7a6": true },
  }),
});

const friendsOnline = createRoute({
  method: "get",
  path: "/friends/online",
  tags,
  security: bearerSecurity,
  middleware: [requireAuth] as const,
  summary: `Which friends hold an open WebSocket (the oldest ${PRESENCE_LIST_LIMIT} friendships)`,
  responses: {
    200: successResponse("Online map", onlineListSchema),
    ...authedErrorResponses,
  },
});

const groupOnline = createRoute({
  method: "get",
  path: "/group/users/online",
  tags,
  security: bearerSecurity,
  middleware: [requireAuth] as const,
  summary: "Which members of a group hold an open WebSocket (members only)",
  request: { query: z.object({ groupId: idSchema }) },
  responses: {
    200: successResponse("Online map", onlineListSchema),
    ...authedErrorResponses,
    403: errorResponse("Not a member of the group (100006)"),
    404: errorResponse("No such group (100005)"),
  },
});

export const presenceRoutes = createRouter()
  .openapi(friendsOnline, async (c) => {
    return c.json(ok(await listFriendsOnline(c.var.db, c.env.USER_SESSION, c.var.userId)), 200);
  })
  .openapi(groupOnline, async (c) => {
    const { groupId } = c.req.valid("query");
    if (!(await findGroupMember(c.var.db, groupId, c.var.userId))) {
      if (!(await findActiveGroup(c.var.db, groupId))) throw new NotFoundError("group not found");
      throw new ForbiddenError("only members may see who is online in a group");
    }
    const memberIds = await listGroupMemberIds(c.var.db, groupId);
    return c.json(ok({ onlineList: await onlineMap(c.env.USER_SESSION, memberIds) }), 200);
  });
