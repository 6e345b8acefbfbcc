/** `/v1/social` friend routes (CONTRACT §3); who is online is in presence.ts. */
import { z } from "@hono/zod-openapi";
import * as schemas from "../../../shared/social/friend-schemas.ts";
import * as friends from "../../../shared/social/friend-service.ts";
import { actorOf, tokenRoutes } from "../route-helpers.ts";
import { createRouter } from "../router.ts";

export const friendRoutes = createRouter();
const route = tokenRoutes(friendRoutes, "friends");

route.post("/friend/putIn", {
  summary: "Ask a user to be friends (or accept their pending ask)",
  body: schemas.askFriendBodySchema,
  ok: [
    "The new or already pending request; theirs, passed, if they had asked you",
    schemas.friendRequestSchema,
  ],
  errors: {
    403: "That user does not accept your friend requests (100006)",
    404: "No such user (100005)",
    409: "Already friends (100007)",
  },
}, (c) => friends.askFriend(actorOf(c), c.req.valid("json")));

route.put("/friend/putIn", {
  summary: "Pass, refuse (the asked user) or cancel (the asker) a pending request",
  body: schemas.handleFriendRequestBodySchema,
  ok: ["The handled request", schemas.friendRequestSchema],
  errors: {
    403: "A party using the other party's action (100006)",
    404: "No such request, or not yours (100005)",
    409: "Already handled (100007)",
  },
}, (c) => friends.handleFriendRequest(actorOf(c), c.req.valid("json")));

route.get("/friend/putIns", {
  summary: "Pending friend requests received (default) or sent",
  query: schemas.friendRequestsQuerySchema,
  ok: ["One page, oldest first", schemas.friendRequestPageSchema],
}, (c) => friends.listFriendRequests(actorOf(c), c.req.valid("query")));

route.get("/friends", {
  summary: "The caller's friends with nickname and avatar",
  query: schemas.friendsQuerySchema,
  ok: ["One page, oldest friendship first", schemas.friendPageSchema],
}, (c) => friends.listFriends(actorOf(c), c.req.valid("query")));

route.put("/friend/remark", {
  summary: "Set the caller's remark for a friend",
  body: schemas.remarkBodySchema,
  ok: ["The friend", schemas.friendSchema],
  errors: { 404: "Not a friend (100005)" },
}, (c) => friends.setFriendRemark(actorOf(c), c.req.valid("json")));

route.delete("/friend", {
  summary: "End a friendship (both directions); chat history stays readable",
  body: schemas.friendUidBodySchema,
  ok: ["Removed", z.object({})],
  errors: { 404: "Not a friend (100005)" },
}, (c) => friends.deleteFriend(actorOf(c), c.req.valid("json")));
