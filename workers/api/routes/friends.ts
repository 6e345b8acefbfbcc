/** `/v1/social` friend routes (CONTRACT §3); who is online is in presence.ts. */
import { z } from "@hono/zod-openapi";
import { ok } from "../../../shared/envelope.ts";
import { errorResponse } from "../../../shared/http/schemas.ts";
import {
  askFriendBodySchema,
  friendPageSchema,
  friendRequestPageSchema,
  friendRequestSchema,
  friendRequestsQuerySchema,
  friendSchema,
  friendsQuerySchema,
  friendUidBodySchema,
  handleFriendRequestBodySchema,
  remarkBodySchema,
} from "../../../shared/social/friend-schemas.ts";
import {
  askFriend,
  deleteFriend,
  handleFriendRequest,
  listFriendRequests,
  listFriends,
  setFriendRemark,
} from "../../../shared/social/friend-service.ts";
import { jsonBody, successResponse, tokenRoutes } from "../route-helpers.ts";
import { createRouter } from "../router.ts";

const route = tokenRoutes("friends");

const ask = route({
  method: "post",
  path: "/friend/putIn",
  summary: "Ask a user to be friends (or accept their pending ask)",
  request: { body: jsonBody(askFriendBodySchema) },
  responses: {
    200: successResponse(
      "The new or already pending request; theirs, passed, if they had asked you",
      friendRequestSchema,
    ),
    404: errorResponse("No such user (100005)"),
    409: errorResponse("Already friends (100007)"),
  },
});

const handle = route({
  method: "put",
  path: "/friend/putIn",
  summary: "Pass, refuse (the asked user) or cancel (the asker) a pending request",
  request: { body: jsonBody(handleFriendRequestBodySchema) },
  responses: {
    200: successResponse("The handled request", friendRequestSchema),
    403: errorResponse("A party using the other party's action (100006)"),
    404: errorResponse("No such request, or not yours (100005)"),
    409: errorResponse("Already handled (100007)"),
  },
});

const requests = route({
  method: "get",
  path: "/friend/putIns",
  summary: "Pending friend requests received (default) or sent",
  request: { query: friendRequestsQuerySchema },
  responses: { 200: successResponse("One page, oldest first", friendRequestPageSchema) },
});

const list = route({
  method: "get",
  path: "/friends",
  summary: "The caller's friends with nickname and avatar",
  request: { query: friendsQuerySchema },
  responses: { 200: successResponse("One page, oldest friendship first", friendPageSchema) },
});

const remark = route({
  method: "put",
  path: "/friend/remark",
  summary: "Set the caller's remark for a friend",
  request: { body: jsonBody(remarkBodySchema) },
  responses: {
    200: successResponse("The friend", friendSchema),
    404: errorResponse("Not a friend (100005)"),
  },
});

const remove = route({
  method: "delete",
  path: "/friend",
  summary: "End a friendship (both directions); chat history stays readable",
  request: { body: jsonBody(friendUidBodySchema) },
  responses: {
    200: successResponse("Removed", z.object({})),
    404: errorResponse("Not a friend (100005)"),
  },
});

export const friendRoutes = createRouter()
  .openapi(ask, async (c) => {
    const request = await askFriend(
      c.var.db,
      c.var.membershipEvents,
      c.var.userId,
      c.req.valid("json"),
    );
    return c.json(ok(request), 200);
  })
  .openapi(handle, async (c) => {
    const request = await handleFriendRequest(
      c.var.db,
      c.var.membershipEvents,
      c.var.userId,
      c.req.valid("json"),
    );
    return c.json(ok(request), 200);
  })
  .openapi(requests, async (c) => {
    return c.json(ok(await listFriendRequests(c.var.db, c.var.userId, c.req.valid("query"))), 200);
  })
  .openapi(list, async (c) => {
    return c.json(ok(await listFriends(c.var.db, c.var.userId, c.req.valid("query"))), 200);
  })
  .openapi(remark, async (c) => {
    return c.json(ok(await setFriendRemark(c.var.db, c.var.userId, c.req.valid("json"))), 200);
  })
  .openapi(remove, async (c) => {
    const body = c.req.valid("json");
    return c.json(
      ok(await deleteFriend(c.var.db, c.var.membershipEvents, c.var.userId, body)),
      200,
    );
  });
