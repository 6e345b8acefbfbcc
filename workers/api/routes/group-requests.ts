/** `/v1/social/group/putIn(s)` — apply, invite, handle and list join requests (CONTRACT §4). */
import { ok } from "../../../shared/envelope.ts";
import { errorResponse } from "../../../shared/http/schemas.ts";
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
import { jsonBody, successResponse, tokenRoutes } from "../route-helpers.ts";
import { createRouter } from "../router.ts";

const route = tokenRoutes("groups");

const join = route({
  method: "post",
  path: "/group/putIn",
  summary: "Apply to join (joinSource 2) or invite someone (joinSource 1)",
  description: "The joiner is in at once (handleResult 2) when the group has isVerify false or a " +
    "creator/manager invites; otherwise a pending request (handleResult 1) is made, or the " +
    "pending one returned.",
  request: { body: jsonBody(joinGroupBodySchema) },
  responses: {
    200: successResponse("The join request, passed or pending", groupRequestSchema),
    403: errorResponse("Inviting into a group the caller is not a member of (100006)"),
    404: errorResponse("No such group, or no such invitee (100005)"),
    409: errorResponse("Already a member, or the group is full (100007)"),
  },
});

const handle = route({
  method: "put",
  path: "/group/putIn",
  summary: "Pass or refuse a pending join request (creator or manager)",
  request: { body: jsonBody(handleGroupRequestBodySchema) },
  responses: {
    200: successResponse("The handled request", groupRequestSchema),
    403: errorResponse("Not a member, or a plain member (100006)"),
    404: errorResponse("No such group or request (100005)"),
    409: errorResponse("Already handled, or the group is full (100007)"),
  },
});

const list = route({
  method: "get",
  path: "/group/putIns",
  summary: "A group's pending join requests (creator or manager)",
  request: { query: groupPageQuerySchema },
  responses: {
    200: successResponse("One page, oldest first", groupRequestPageSchema),
    403: errorResponse("Not a member, or a plain member (100006)"),
    404: errorResponse("No such group (100005)"),
  },
});

export const groupRequestRoutes = createRouter()
  .openapi(join, async (c) => {
    const request = await requestToJoin(
      c.var.db,
      c.var.membershipEvents,
      c.var.userId,
      c.req.valid("json"),
    );
    return c.json(ok(request), 200);
  })
  .openapi(handle, async (c) => {
    const request = await handleJoinRequest(
      c.var.db,
      c.var.membershipEvents,
      c.var.userId,
      c.req.valid("json"),
    );
    return c.json(ok(request), 200);
  })
  .openapi(list, async (c) => {
    return c.json(ok(await listJoinRequests(c.var.db, c.var.userId, c.req.valid("query"))), 200);
  });
