/** `/v1/social` friend routes (CONTRACT §3); who is online is in presence.ts. */
import { z } from "@hono/zod-openapi";
import { ok } from "../../../shared/envelope.ts";
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
import { actorOf, tokenRoutes } from "../route-helpers.ts";
import { createRouter } from "../router.ts";

const route = tokenRoutes("friends");

const ask = route.post("/friend/putIn", {
  summary: "Ask a user to be friends (or accept their pending ask)",
  body: askFriendBodySchema,
  ok: [
    "The new or already pending request; theirs, passed, if they had asked you",
    friendRequestSchema,
  ],
  errors: { 404: "No such user (100005)", 409: "Already friends (100007)" },
});

const handle = route.put("/friend/putIn", {
  summary: "Pass, refuse (the asked user) or cancel (the asker) a pending request",
  body: handleFriendRequestBodySchema,
  ok: ["The handled request", friendRequestSchema],
  errors: {
    403: "A party using the other party's action (100006)",
    404: "No such request, or not yours (100005)",
    409: "Already handled (100007)",
  },
});

const requests = route.get("/friend/putIns", {
  summary: "Pending friend requests received (default) or sent",
  query: friendRequestsQuerySchema,
  ok: ["One page, oldest first", friendRequestPageSchema],
});

const list = route.get("/friends", {
  summary: "The caller's friends with nickname and avatar",
  query: friendsQuerySchema,
  ok: ["One page, oldest friendship first", friendPageSchema],
});

const remark = route.put("/friend/remark", {
  summary: "Set the caller's remark for a friend",
  body: remarkBodySchema,
  ok: ["The friend", friendSchema],
  errors: { 404: "Not a friend (100005)" },
});

const remove = route.delete("/friend", {
  summary: "End a friendship (both directions); chat history stays readable",
  body: friendUidBodySchema,
  ok: ["Removed", z.object({})],
  errors: { 404: "Not a friend (100005)" },
});

export const friendRoutes = createRouter()
  .openapi(ask, async (c) => c.json(ok(await askFriend(actorOf(c), c.req.valid("json"))), 200))
  .openapi(handle, async (c) => {
    return c.json(ok(await handleFriendRequest(actorOf(c), c.req.valid("json"))), 200);
  })
  .openapi(requests, async (c) => {
    return c.json(ok(await listFriendRequests(actorOf(c), c.req.valid("query"))), 200);
  })
  .openapi(list, async (c) => c.json(ok(await listFriends(actorOf(c), c.req.valid("query"))), 200))
  .openapi(remark, async (c) => {
    return c.json(ok(await setFriendRemark(actorOf(c), c.req.valid("json"))), 200);
  })
  .openapi(
    remove,
    async (c) => c.json(ok(await deleteFriend(actorOf(c), c.req.valid("json"))), 200),
  );
