/** `/v1/social/group/putIn(s)` — apply, invite, handle and list join requests (CONTRACT §4). */
import { createRoute } from "@hono/zod-openapi";
import { ok } from "../../../shared/envelope.ts";
import { authedErrorResponses, errorResponse } from "../../../shared/http/schemas.ts";
import {
  groupPageQuerySchema,
  groupRequestPageSchema,
  groupRequestSchema,
  handleGroupRequestBodySchema,
  joinGroupBodySchema,
} from "../../../shared/social/group-schemas.ts";
import {
  handleJoinRequest,
  listJoinRequests,
  requestToJoin,
} from "../../../shared/social/group-join-service.ts";
import { requireAuth } from "../middleware/auth.ts";
import { bearerSecurity, jsonBody, successResponse } from "../route-helpers.ts";
import { createRouter } from "../router.ts";
import { membershipEvents } from "../services.ts";

const tags = ["groups"];
const security = bearerSecurity;
const success = successResponse;

const join = createRoute({
  method: "post",
  path: "/group/putIn",
  tags,
  security,
  middleware: [requireAuth] as const,
  summary: "Apply to join (joinSource 2) or invite someone (joinSource 1)",
  description: "The joiner is in at once (handleResult 2) when the group has isVerify false or a " +
    "creator/manager invites; otherwise a pending request (handleResult 1) is made, or the " +
    "pending one returned.",
  request: { body: jsonBody(joinGroupBodySchema) },
  responses: {
    200: success("The join request, passed or pending", groupRequestSchema),
    ...authedErrorResponses,
    403: errorResponse("Inviting into a group the caller is not a member of (100006)"),
    404: errorResponse("No such group, or no such invitee (100005)"),
    409: errorResponse("Already a member, or the group is full (100007)"),
  },
});

const handle = createRoute({
  method: "put",
  path: "/group/putIn",
  tags,
  security,
  middleware: [requireAuth] as const,
  summary: "Pass or refuse a pending join request (creator or manager)",
  request: { body: jsonBody(handleGroupRequestBodySchema) },
  responses: {
    200: success("The handled request", groupRequestSchema),
    ...authedErrorResponses,
    403: errorResponse("Not a member, or a plain member (100006)"),
    404: errorResponse("No such group or request (100005)"),
    409: errorResponse("Already handled, or the group is full (100007)"),
  },
});

const list = createRoute({
  method: "get",
  path: "/group/putIns",
  tags,
  security,
  middleware: [requireAuth] as const,
  summary: "A group's pending join requests (creator or manager)",
  request: { query: groupPageQuerySchema },
  responses: {
    200: success("One page, oldest first", groupRequestPageSchema),
    ...authedErrorResponses,
    403: errorResponse("Not a member, or a plain member (100006)"),
    404: errorResponse("No such group (100005)"),
  },
});

export const groupRequestRoutes = createRouter()
  .openapi(join, async (c) => {
    const request = await requestToJoin(
      c.var.db,
      membershipEvents(c.env),
      c.var.userId,
      c.req.valid("json"),
    );
    return c.json(ok(request), 200);
  })
  .openapi(handle, async (c) => {
    const request = await handleJoinRequest(
      c.var.db,
      membershipEvents(c.env),
      c.var.userId,
      c.req.valid("json"),
    );
    return c.json(ok(request), 200);
  })
  .openapi(list, async (c) => {
    return c.json(ok(await listJoinRequests(c.var.db, c.var.userId, c.req.valid("query"))), 200);
  });
